import { messagingTablesMigration } from '@lead-sla/messaging';
import { ReportingSkeleton1764000000300 } from './1764000000300-reporting-skeleton.migration';

export const reportingMigrations = [messagingTablesMigration('reporting', 1763999999300), ReportingSkeleton1764000000300];

import { messagingTablesMigration } from '@lead-sla/messaging';
import { DispositionSkeleton1764000000200 } from './1764000000200-disposition-skeleton.migration';

export const dispositionMigrations = [messagingTablesMigration('disposition', 1763999999200), DispositionSkeleton1764000000200];

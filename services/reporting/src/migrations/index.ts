import { messagingTablesMigration } from '@lead-sla/messaging';
import { ReportingSkeleton1764000000300 } from './1764000000300-reporting-skeleton.migration';
import { ReportingReadModels1764000000310 } from './1764000000310-reporting-read-models.migration';
import { BiContractV11764000000320 } from './1764000000320-bi-contract-v1.migration';

export const reportingMigrations = [
  messagingTablesMigration('reporting', 1763999999300),
  ReportingSkeleton1764000000300,
  ReportingReadModels1764000000310,
  BiContractV11764000000320,
];

import { messagingTablesMigration, policyLogMigration } from '@lead-sla/messaging';
import { ReportingReadModels1764000000300 } from './1764000000300-reporting-read-models.migration';
import { BiContractV11764000000320 } from './1764000000320-bi-contract-v1.migration';
import { RepsOutOfRotation1764000000340 } from './1764000000340-reps-out-of-rotation.migration';
import { SecondTouchSameChannel1764000000360 } from './1764000000360-second-touch-same-channel.migration';
import { MqlRejections1764000000370 } from './1764000000370-mql-rejections.migration';
import { DataCleanupClock1764000000380 } from './1764000000380-data-cleanup-clock.migration';
import { ScorecardBlameByHolder1764000000390 } from './1764000000390-scorecard-blame-by-holder.migration';
import { OpenClocksIndex1764000000410 } from './1764000000410-open-clocks-index.migration';
import { ScorecardCells1764000000420 } from './1764000000420-scorecard-cells.migration';
import { PolicyVersions1764000000914 } from './1764000000914-policy-versions.migration';

export const reportingMigrations = [
  messagingTablesMigration('reporting', 1763999999300), ReportingReadModels1764000000300, BiContractV11764000000320, RepsOutOfRotation1764000000340,
  SecondTouchSameChannel1764000000360, MqlRejections1764000000370, DataCleanupClock1764000000380, ScorecardBlameByHolder1764000000390,
  OpenClocksIndex1764000000410, ScorecardCells1764000000420,
  policyLogMigration('reporting', 1764000000904), PolicyVersions1764000000914,
];

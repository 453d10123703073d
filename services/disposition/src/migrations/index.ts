import { messagingTablesMigration } from '@lead-sla/messaging';
import { DispositionSkeleton1764000000200 } from './1764000000200-disposition-skeleton.migration';
import { DispositionContactState1764000000210 } from './1764000000210-contact-state.migration';

export const dispositionMigrations = [messagingTablesMigration('disposition', 1763999999200), DispositionSkeleton1764000000200, DispositionContactState1764000000210];

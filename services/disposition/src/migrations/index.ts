import { messagingTablesMigration } from '@lead-sla/messaging';
import { DispositionSkeleton1764000000200 } from './1764000000200-disposition-skeleton.migration';
import { DispositionContactState1764000000210 } from './1764000000210-contact-state.migration';
import { DispositionHttpCommands1764000000220 } from './1764000000220-http-commands.migration';

export const dispositionMigrations = [messagingTablesMigration('disposition', 1763999999200), DispositionSkeleton1764000000200, DispositionContactState1764000000210, DispositionHttpCommands1764000000220];

import { messagingTablesMigration } from '@lead-sla/messaging';
import { TimerSkeleton1764000000100 } from './1764000000100-timer-skeleton.migration';
import { TimerState1764000000200 } from './1764000000200-timer-state.migration';

export const timerMigrations = [messagingTablesMigration('timer', 1763999999100), TimerSkeleton1764000000100, TimerState1764000000200];

import { messagingTablesMigration } from '@lead-sla/messaging';
import { TimerSkeleton1764000000100 } from './1764000000100-timer-skeleton.migration';

export const timerMigrations = [messagingTablesMigration('timer', 1763999999100), TimerSkeleton1764000000100];

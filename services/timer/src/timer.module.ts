import { Module } from '@nestjs/common';
import { z } from 'zod';
import type { DataSource } from 'typeorm';
import type { PruneTask } from '@lead-sla/messaging';
import { envSettings, inTransaction } from '@lead-sla/platform';
import { DATA_SOURCE, provideDecider, RETENTION_TASKS, ServiceRuntimeModule, type ServiceDefinition } from '@lead-sla/service-runtime';
import { TimerDeciderService } from './apply-lead-event/timer-decider.service';
import { DeadlineScheduler } from './fire-deadline/deadline.scheduler';
import { timerMigrations } from './migrations';
import { TimerStateRepository } from './persistence/timer-state.repository';

export const timerService: ServiceDefinition = {
  name: 'timer',
  schema: 'timer',
  migrations: timerMigrations,
  defaultPort: 3002,
  // Read by the deadline scheduler (deadline.scheduler.ts); validated here with every other setting.
  settings: [
    envSettings({
      TIMER_HORIZON_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().positive().optional(),
      TIMER_ORPHAN_GRACE_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(0).optional(),
      TIMER_FIRE_BATCH: z.coerce.number({ message: 'must be a number of deadlines' }).int().positive().optional(),
    }),
  ],
  // Fired and cancelled deadline rows are history; the pending ones are state. trace_context is telemetry:
  // the span a live decision ran in, which no rebuild can reproduce.
  stateTables: [
    { table: 'timer.lead_timers', key: ['lead_id'], ignore: ['updated_at'] },
    { table: 'timer.deadlines', key: ['id'], ignore: ['created_at', 'fired_at', 'status', 'trace_context'], where: "status = 'pending'" },
  ],
};

@Module({
  imports: [ServiceRuntimeModule.forRoot(timerService)],
  providers: [
    TimerStateRepository, DeadlineScheduler, TimerDeciderService, provideDecider(TimerDeciderService),
    {
      provide: RETENTION_TASKS,
      inject: [TimerStateRepository, DATA_SOURCE],
      useFactory: (repository: TimerStateRepository, dataSource: DataSource): PruneTask[] => [
        { table: 'timer.deadlines', prune: (before, limit) => inTransaction(dataSource, (tx) => repository.pruneFinished(tx, before, limit)) },
      ],
    },
  ],
})
export class TimerModule {}

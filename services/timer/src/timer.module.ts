import { Module } from '@nestjs/common';
import { EVENT_HANDLER, ServiceRuntimeModule, type ServiceDefinition } from '@lead-sla/service-runtime';
import { DeadlineScheduler } from './fire-deadline/deadline-scheduler';
import { TimerEventHandler } from './start-clocks/timer-event.handler';
import { timerMigrations } from './migrations';

export const timerService: ServiceDefinition = { name: 'timer', schema: 'timer', migrations: timerMigrations, defaultPort: 3002 };

@Module({
  imports: [ServiceRuntimeModule.forRoot(timerService)],
  providers: [DeadlineScheduler, { provide: EVENT_HANDLER, useClass: TimerEventHandler }],
})
export class TimerModule {}

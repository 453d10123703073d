import { Module } from '@nestjs/common';
import { EVENT_HANDLER, ServiceRuntimeModule, type ServiceDefinition } from '@lead-sla/service-runtime';
import { TimerLeadEventHandler } from './apply-lead-event/lead-event.handler';
import { DeadlineScheduler } from './fire-deadline/deadline-scheduler';
import { timerMigrations } from './migrations';

export const timerService: ServiceDefinition = { name: 'timer', schema: 'timer', migrations: timerMigrations, defaultPort: 3002 };

@Module({
  imports: [ServiceRuntimeModule.forRoot(timerService)],
  providers: [DeadlineScheduler, { provide: EVENT_HANDLER, useClass: TimerLeadEventHandler }],
})
export class TimerModule {}

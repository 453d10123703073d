import { Module, type FactoryProvider } from '@nestjs/common';
import type { DeciderHandler } from '@lead-sla/messaging';
import { EVENT_HANDLER, provideDecider, ServiceRuntimeModule, type LeadEventHandler, type ServiceDefinition } from '@lead-sla/service-runtime';
import { LeadTimerService } from './apply-lead-event/lead-timer.service';
import { DeadlineScheduler } from './fire-deadline/deadline.scheduler';
import { timerMigrations } from './migrations';
import { TimerStateRepository } from './persistence/timer-state.repository';

export const timerService: ServiceDefinition = { name: 'timer', schema: 'timer', migrations: timerMigrations, defaultPort: 3002 };

/**
 * The timer's decider, bound with provideDecider, plus partition ownership:
 * the instance that consumes a partition fires its deadlines, so each
 * rebalance tells the scheduler which partitions to load.
 */
function timerEventHandler(): FactoryProvider<LeadEventHandler> {
  const decider = provideDecider(LeadTimerService) as FactoryProvider<DeciderHandler>;
  return {
    provide: EVENT_HANDLER,
    inject: [...(decider.inject ?? []), DeadlineScheduler],
    useFactory: (...deps: unknown[]) => {
      const scheduler = deps.pop() as DeadlineScheduler;
      const handler = decider.useFactory(...deps) as DeciderHandler;
      return { ...handler, onPartitionsAssigned: (partitions) => scheduler.setPartitions(partitions.map((p) => p.partition)) };
    },
  };
}

@Module({
  imports: [ServiceRuntimeModule.forRoot(timerService)],
  providers: [TimerStateRepository, DeadlineScheduler, LeadTimerService, timerEventHandler()],
})
export class TimerModule {}

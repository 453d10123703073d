import type { Provider, Type } from '@nestjs/common';
import { deciderHandler, type DeciderService } from '@lead-sla/messaging';
import type { LeadEvent } from '@lead-sla/contracts';
import { currentReplay, DECISION_CLOCK, type DecisionClock } from './replay/decision-clock';
import { consumerGroupOf, SERVICE_DEFINITION, type ServiceDefinition } from './service-definition';
import { EVENT_HANDLER } from './tokens';

/**
 * Binds a service's DeciderService as its consumer of lead-events.v1: the
 * one way a stateful service plugs into the runtime.
 */
export function provideDecider<I extends LeadEvent, S, Env>(service: Type<DeciderService<I, S, Env>>): Provider {
  return {
    provide: EVENT_HANDLER,
    useFactory: (decider: DeciderService<I, S, Env>, decidedAt: DecisionClock, definition: ServiceDefinition) =>
      deciderHandler(decider, { name: consumerGroupOf(definition), decidedAt, mode: currentReplay() ? 'rebuild' : 'decide' }),
    inject: [service, DECISION_CLOCK, SERVICE_DEFINITION],
  };
}

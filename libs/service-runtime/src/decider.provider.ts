import type { Provider, Type } from '@nestjs/common';
import { deciderHandler, type DeciderService } from '@lead-sla/messaging';
import type { LeadEvent } from '@lead-sla/contracts';
import type { Clock } from '@lead-sla/platform';
import { SERVICE_DEFINITION, type ServiceDefinition } from './service-definition';
import { CLOCK, EVENT_HANDLER } from './tokens';

/**
 * Binds a service's DeciderService as its consumer of lead-events.v1: the
 * one way a stateful service plugs into the runtime.
 */
export function provideDecider<I extends LeadEvent, S, Env>(service: Type<DeciderService<I, S, Env>>): Provider {
  return {
    provide: EVENT_HANDLER,
    useFactory: (decider: DeciderService<I, S, Env>, clock: Clock, definition: ServiceDefinition) =>
      deciderHandler(decider, { name: definition.consumerGroup ?? `lead-sla.${definition.name}`, now: () => clock.now() }),
    inject: [service, CLOCK, SERVICE_DEFINITION],
  };
}

import { Inject, Injectable } from '@nestjs/common';
import type { LeadEvent } from '@lead-sla/contracts';
import { eventFrom } from '@lead-sla/messaging';
import type { Clock, Logger, Tx } from '@lead-sla/platform';
import { CLOCK, LOGGER, PolicyProvider } from '@lead-sla/service-runtime';
import type { RoutingEmission } from '../domain/routing-decision.types';
import { decideRouting, routingInputTypes, type RoutingInputEvent } from '../routing.decider';
import { RoutingStateRepository } from './routing-state.repository';
import { teamShiftPort } from './team-shift.port';

function toEvent(cause: LeadEvent, e: RoutingEmission, index: number, at: Date): LeadEvent {
  // The step names the emission's place in the decision, so it is unique per cause and the same on a re-run.
  const step = `routing-${index}-${e.type}`;
  const when = { occurredAt: at, recordedAt: at };
  switch (e.type) {
    case 'LeadAssigned':
      return eventFrom(cause, step, 'LeadAssigned', e.data, when, e.leadId);
    case 'LeadQueued':
      return eventFrom(cause, step, 'LeadQueued', e.data, when, e.leadId);
    case 'RepRotationChanged':
      return eventFrom(cause, step, 'RepRotationChanged', e.data, when, null);
    default: {
      const unhandled: never = e;
      throw new Error(`routing: cannot publish emission ${JSON.stringify(unhandled)}`);
    }
  }
}

/**
 * The one way routing turns an event into state changes and emitted
 * events, inside the caller's transaction: load what the decision needs,
 * decide (pure), write the decision, return the events for the outbox.
 * The consumer handler and the reinstate endpoint both go through here.
 */
@Injectable()
export class RoutingEngine {
  readonly repository = new RoutingStateRepository();

  constructor(
    private readonly policies: PolicyProvider,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  static handles(event: LeadEvent): event is RoutingInputEvent & LeadEvent {
    return routingInputTypes.has(event.type);
  }

  async process(tx: Tx, event: LeadEvent): Promise<LeadEvent[]> {
    if (!RoutingEngine.handles(event)) return [];
    const input = event as RoutingInputEvent;
    try {
      const session = await this.repository.session(tx, this.policies.current());
      const state = await this.repository.stateFor(tx, session, input);
      // Decisions are made as of the event (replay gives the same answer); emitted events carry when they were decided.
      const env = { policy: session.policy, now: event.occurredAt, isOnShift: teamShiftPort(session.policy) };
      const decision = decideRouting(input, state, env);
      const at = this.clock.now();
      const emitted = decision.emit.map((e, i) => toEvent(event, e, i, at));
      await this.repository.apply(tx, session, decision, emitted, { eventId: event.eventId, type: event.type }, at);
      for (const note of decision.notes) {
        this.logger.info(`routing: ${note.text}`, { leadId: note.leadId, eventType: event.type, eventId: event.eventId });
      }
      return emitted;
    } catch (error) {
      this.repository.forget(tx);
      throw error;
    }
  }
}

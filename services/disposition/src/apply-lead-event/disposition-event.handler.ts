import { Inject, Injectable } from '@nestjs/common';
import type { EventType, LeadEvent } from '@lead-sla/contracts';
import type { HandlerContext } from '@lead-sla/messaging';
import type { Clock, Logger } from '@lead-sla/platform';
import { CLOCK, LOGGER, PolicyProvider, type LeadEventHandler } from '@lead-sla/service-runtime';
import { ContactStateRepository, orphanKey } from '../contact-state/contact-state.repository';
import { decisionEvents, evolveWith, loggableProblems } from '../contact-state/decision-events.util';
import { decide } from '../disposition.decider';
import type { InputEvent, InputType } from '../domain/decision';
import { RequalifyScheduler } from '../recycle-lead/requalify.scheduler';

const INPUTS: ReadonlySet<string> = new Set<InputType>([
  'LeadCreated',
  'LeadAssigned',
  'LeadTouched',
  'LeadDispositioned',
  'LeadAccepted',
  'LeadRejected',
  'ContactBounced',
  'ContactFixed',
  'ConsentWithdrawn',
]);

function asInput(event: LeadEvent): InputEvent | null {
  if (!INPUTS.has(event.type) || !event.leadId) return null;
  return event as unknown as InputEvent;
}

/**
 * The disposition service's consumer, thin on purpose: find the lead's
 * contact, lock its state, decide, fold the input and the emitted events
 * into the state, persist it and queue the events in the outbox — all in
 * the consumer's transaction with the offset (DESIGN.md §3).
 */
@Injectable()
export class DispositionEventHandler implements LeadEventHandler {
  /** Other types are skipped by the consumer without being validated. */
  readonly eventTypes = [...INPUTS] as EventType[];

  constructor(
    private readonly policies: PolicyProvider,
    private readonly repository: ContactStateRepository,
    private readonly scheduler: RequalifyScheduler,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async handle(event: LeadEvent, ctx: HandlerContext): Promise<void> {
    const input = asInput(event);
    if (!input) return;
    const known = await this.repository.contactKeyOf(ctx.tx, input.leadId);
    const contactKey = known ?? (input.type === 'LeadCreated' ? input.data.contact.contactKey : orphanKey(input.leadId));
    const state = await this.repository.lock(ctx.tx, contactKey);

    const policy = this.policies.current();
    const now = this.clock.now();
    const decision = decide(state, input, { policy, now });
    // Every emission's cause is this event, except time re-qualification (never decided here).
    const events = decisionEvents(decision, () => event.correlationId, now);
    const next = evolveWith(state, input, events);

    const added = await this.repository.save(ctx.tx, contactKey, next, () => event.correlationId);
    for (const e of events) ctx.emit(e);
    if (added.length > 0) ctx.afterCommit(() => this.scheduler.offer(added));

    if (decision.refusal) {
      const r = decision.refusal;
      this.logger.warn('refused an event', {
        leadId: r.leadId,
        eventId: r.eventId,
        eventType: r.eventType,
        repId: r.repId,
        problems: loggableProblems(r.problems, next.contactKey),
        policyVersion: r.policyVersion,
      });
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { LeadEvent } from '@lead-sla/contracts';
import type { DeciderService, SaveContext } from '@lead-sla/messaging';
import type { Emission } from '@lead-sla/decider';
import type { Logger, Tx } from '@lead-sla/platform';
import type { Policy } from '@lead-sla/policy';
import { LOGGER } from '@lead-sla/service-runtime';
import { ContactStateRepository } from '../contact-state/contact-state.repository';
import { dispositionDecider } from '../disposition.decider';
import { INPUT_TYPES, OUTPUT_TYPES, type DeciderContext, type InputEvent } from '../domain/decision';
import type { DispositionState, NotedRefusal } from '../domain/disposition-state';
import { RequalifyScheduler } from '../recycle-lead/requalify.scheduler';
import { loggableProblems } from './loggable-problems.util';

const LEAD_KEY = 'lead-id:';
const CONTACT_KEY = 'contact-key:';

/**
 * The disposition service as the runtime runs it: the batch's state is the
 * contacts of its leads (plus the contact a LeadCreated names), loaded and
 * locked in one go; the pure `dispositionDecider` decides and folds; `save`
 * writes what changed, hands new due rows to the scheduler and logs the
 * refusals once the batch has committed.
 */
@Injectable()
export class DispositionDeciderService implements DeciderService<InputEvent, DispositionState, DeciderContext> {
  readonly inputTypes = INPUT_TYPES;
  readonly outputTypes = OUTPUT_TYPES;

  constructor(
    private readonly repository: ContactStateRepository,
    private readonly scheduler: RequalifyScheduler,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  keysOf(input: InputEvent): readonly string[] {
    const lead = `${LEAD_KEY}${input.leadId}`;
    return input.type === 'LeadCreated' ? [lead, `${CONTACT_KEY}${input.data.contact.contactKey}`] : [lead];
  }

  load(tx: Tx, keys: readonly string[]): Promise<DispositionState> {
    const of = (prefix: string) => keys.filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
    return this.repository.load(tx, { leadIds: of(LEAD_KEY), contactKeys: of(CONTACT_KEY) });
  }

  environment(_input: InputEvent, now: Date, policy: Policy): DeciderContext {
    return { policy, now };
  }

  decide(state: DispositionState, input: InputEvent, env: DeciderContext): readonly Emission[] {
    return dispositionDecider.decide(state, input, env);
  }

  evolve(state: DispositionState, event: LeadEvent, env: DeciderContext): DispositionState {
    return dispositionDecider.evolve(state, event, env);
  }

  async save(tx: Tx, before: DispositionState, after: DispositionState, ctx: SaveContext): Promise<void> {
    const added = await this.repository.save(tx, before, after, (recycledEventId) => ctx.traceOf(recycledEventId));
    if (added.length > 0) ctx.afterCommit(() => this.scheduler.offer(added));
    const refusals = after.refusals.slice(before.refusals.length);
    if (refusals.length > 0) ctx.afterCommit(() => refusals.forEach((r) => this.logRefusal(r)));
  }

  private logRefusal({ refusal: r, contactKey }: NotedRefusal): void {
    this.logger.warn('refused an event', {
      leadId: r.leadId,
      eventId: r.eventId,
      eventType: r.eventType,
      repId: r.repId,
      problems: loggableProblems(r.problems, contactKey),
      policyVersion: r.policyVersion,
    });
  }
}

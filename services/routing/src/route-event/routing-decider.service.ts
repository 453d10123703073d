import { Inject, Injectable } from '@nestjs/common';
import type { LeadEvent } from '@lead-sla/contracts';
import type { DeciderService, SaveContext } from '@lead-sla/messaging';
import type { Clock, Tx } from '@lead-sla/platform';
import type { Policy } from '@lead-sla/policy';
import { CLOCK, currentReplay } from '@lead-sla/service-runtime';
import { routingInputTypes, type RoutingInputEvent } from '../domain/routing-events.types';
import type { RoutingEnv, RoutingState } from '../domain/routing-state.types';
import type { RoutingEmission } from '../domain/routing-emission.types';
import { decideRouting } from '../routing.decider';
import { evolveRouting } from '../routing.evolve';
import { batchFootprint } from './batch-footprint';
import { RoutingStateRepository, type RoutingKeys } from './routing-state.repository';
import { queueWakeUps } from '../unassigned-queue/queue-wake-up.util';
import { QueueWakeUpScheduler } from '../unassigned-queue/queue-wake-up.scheduler';
import { nextCoverageStartPort, teamShiftPort } from './team-shift.port';

/** State keys: `lead:` id, `contact:` key, `contact-of:` lead id (a re-qualified lead's contact), `domain:` company. */
function keysOfInput(input: RoutingInputEvent): string[] {
  const lead = input.leadId === null ? [] : [`lead:${input.leadId}`];
  switch (input.type) {
    case 'LeadCreated': {
      const domain = input.data.accountDomain ? [`domain:${input.data.accountDomain.toLowerCase()}`] : [];
      return [...lead, `contact:${input.data.contact.contactKey}`, ...domain];
    }
    case 'LeadRequalified':
      return input.leadId === null ? [] : [...lead, `contact-of:${input.leadId}`];
    default:
      return lead;
  }
}

function routingKeys(keys: readonly string[]): RoutingKeys {
  const withPrefix = (prefix: string) => keys.filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
  return { leadIds: withPrefix('lead:'), contactKeys: withPrefix('contact:'), contactOfLeadIds: withPrefix('contact-of:'), accountDomains: withPrefix('domain:') };
}

/**
 * Routing as a service of the shared decider runtime: the runtime loads
 * the batch's state once, folds each input through `decide` then `evolve`
 * (both pure, in routing.decider.ts and routing.evolve.ts) and saves once.
 * Decisions are made as of the input's time (replay gives the same
 * answer); emitted events carry when they were decided.
 */
@Injectable()
export class RoutingDeciderService implements DeciderService<RoutingInputEvent, RoutingState, RoutingEnv> {
  readonly inputTypes = routingInputTypes;
  readonly outputTypes = ['LeadAssigned', 'LeadQueued', 'LeadInquiryRecorded', 'RepRotationChanged'] as const satisfies ReadonlyArray<RoutingEmission['type']>;

  constructor(
    private readonly repository: RoutingStateRepository,
    @Inject(QueueWakeUpScheduler) private readonly wakeUps: Pick<QueueWakeUpScheduler, 'offer'>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  keysOf(input: RoutingInputEvent): readonly string[] {
    return keysOfInput(input);
  }

  /** Locks what the batch may touch under every policy in force in it (a new version may take effect mid-batch): batch-footprint.ts. */
  load(tx: Tx, keys: readonly string[], inputs: readonly RoutingInputEvent[], policies: readonly Policy[]): Promise<RoutingState> {
    return this.repository.load(tx, routingKeys(keys), (known) => batchFootprint(inputs, policies, known));
  }

  environment(input: RoutingInputEvent, _now: Date, policy: Policy): RoutingEnv {
    return { policy, now: input.occurredAt, isOnShift: teamShiftPort(policy) };
  }

  decide(state: RoutingState, input: RoutingInputEvent, env: RoutingEnv) {
    return decideRouting(state, input, env);
  }

  evolve(state: RoutingState, event: LeadEvent, env: RoutingEnv): RoutingState {
    return evolveRouting(state, event, env);
  }

  /**
   * Saves the batch and, while leads wait in the queue, schedules a wake-up
   * at each coming instant someone may become free without an event saying
   * so (coverage start, PTO end, shift override start; see
   * queue-wake-up.util.ts). A replay schedules nothing: the wake-ups that
   * fired are in the log it replays.
   */
  async save(tx: Tx, before: RoutingState, after: RoutingState, ctx: SaveContext): Promise<void> {
    await this.repository.save(tx, before, after);
    if (after.queue.size === 0 || currentReplay()) return;
    const policy = ctx.policy;
    const env: RoutingEnv = { policy, now: this.clock.now().toISOString(), isOnShift: teamShiftPort(policy) };
    const added = await this.repository.scheduleWakeUps(tx, queueWakeUps(after, env, nextCoverageStartPort(policy)), {});
    if (added.length > 0) ctx.afterCommit(() => this.wakeUps.offer(added));
  }
}

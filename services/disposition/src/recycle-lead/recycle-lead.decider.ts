import type { LeadEvent } from '@lead-sla/contracts';
import { emission, eventOfEmission, type Emission } from '@lead-sla/decider';
import type { ContactState, LeadState } from '../domain/contact-state';
import { evolve } from '../domain/contact.evolve';
import type { DeciderContext, Fact, InputEvent } from '../domain/decision';
import { addDays } from '../domain/lead-checks.util';
import { stageChange } from '../funnel-stage/stage-change.util';
import type { RequalifyTrigger } from '../record-disposition/disposition-catalogue';

export interface RecycleSpec {
  readonly code: string;
  readonly reason: string | null;
  readonly nurtureTrack: string;
  readonly trigger: RequalifyTrigger;
  /** Null for a signal-only trigger. */
  readonly afterDays: number | null;
}

/**
 * A rejected MQL has no disposition code in the policy schema, so its
 * recycle rule lives here: back to marketing, re-qualified only by a new
 * intent signal. Move it into the policy when the schema gains a field.
 */
export const REJECTED_MQL_RECYCLE = {
  code: 'mql_rejected',
  nurtureTrack: 'marketing-review',
  trigger: 'signal',
  afterDays: null,
} as const satisfies Omit<RecycleSpec, 'reason'>;

/**
 * The lead leaves its owner (previousRepId lets routing free capacity),
 * enters the nurture track and goes back to the inquiry stage.
 */
export function recycleEmissions(lead: LeadState, spec: RecycleSpec, by: string, ctx: DeciderContext): Emission[] {
  const requalifyAt = spec.trigger !== 'signal' && spec.afterDays !== null ? addDays(ctx.now, spec.afterDays) : null;
  const out: Emission[] = [
    emission(
      'LeadRecycled',
      'recycle',
      {
        previousRepId: lead.ownerRepId,
        code: spec.code,
        reason: spec.reason,
        nurtureTrack: spec.nurtureTrack,
        trigger: spec.trigger,
        requalifyAt,
        policyVersion: ctx.policy.version,
      },
      lead.leadId,
    ),
  ];
  if (lead.stage !== 'inquiry') {
    const why = spec.reason ? `recycled ("${spec.code}"): ${spec.reason}` : `recycled ("${spec.code}")`;
    out.push(stageChange(lead.leadId, lead.stage, 'inquiry', by, why));
  }
  return out;
}

function requalifyEmissions(lead: LeadState, trigger: 'time' | 'signal', signalEventId: string | null, stepSuffix: string): Emission[] {
  const recycled = lead.recycled;
  if (!recycled) return [];
  const why = trigger === 'time' ? `re-qualified after the nurture delay of "${recycled.code}"` : 're-qualified by a new intent signal';
  return [
    emission(
      'LeadRequalified',
      `requalify${stepSuffix}`,
      { trigger, nurtureTrack: recycled.nurtureTrack, signalEventId, policyVersion: recycled.policyVersion },
      lead.leadId,
    ),
    stageChange(lead.leadId, lead.stage, 'mql', null, why, stepSuffix),
  ];
}

/**
 * A new LeadCreated for the contact is a new intent signal: every recycled
 * lead of the contact waiting for a signal re-qualifies. LeadRequalified
 * carries the recycled lead's id (its timeline holds the recycle, so
 * time-to-recycle and recycle→SQL are measured on one lead) and names the
 * new LeadCreated in signalEventId.
 */
export function requalifyOnSignal(state: ContactState, event: InputEvent<'LeadCreated'>): Emission[] {
  return Object.values(state.leads)
    .filter((l) => l.leadId !== event.leadId && !l.suppressed && l.recycled && l.recycled.trigger !== 'time')
    .flatMap((l) => requalifyEmissions(l, 'signal', event.eventId, `:${l.leadId}`));
}

/** The pending time triggers a state calls for: none once the contact is suppressed. */
export function pendingRequalifications(
  state: ContactState,
): Array<{ leadId: string; recycledEventId: string; correlationId: string; requalifyAt: string }> {
  if (state.suppression) return [];
  return Object.values(state.leads).flatMap((l) =>
    l.recycled?.requalifyAt
      ? [{ leadId: l.leadId, recycledEventId: l.recycled.recycledEventId, correlationId: l.recycled.correlationId, requalifyAt: l.recycled.requalifyAt }]
      : [],
  );
}

/** One due re-qualification: its cause is the LeadRecycled that set the due time. */
export interface DueRequalification {
  readonly leadId: string;
  readonly recycledEventId: string;
  readonly correlationId: string;
  readonly emit: readonly Emission[];
}

/**
 * The time trigger: re-qualifies every recycled lead whose requalifyAt is
 * at or before `now`. Each re-qualification is caused by the LeadRecycled
 * that set the due time, so a repeated call yields the same event ids.
 */
export function requalifyDue(state: ContactState, now: Date): DueRequalification[] {
  return pendingRequalifications(state)
    .filter((p) => Date.parse(p.requalifyAt) <= now.getTime())
    .map((p) => ({ ...p, emit: requalifyEmissions(state.leads[p.leadId], 'time', null, '') }));
}

/** The due re-qualifications as events (continuing each recycle's correlation) and the state with them folded in. */
export function fireDueRequalifications(state: ContactState, now: Date): { state: ContactState; events: LeadEvent[] } {
  const events = requalifyDue(state, now).flatMap((due) =>
    due.emit.map((e) => eventOfEmission({ eventId: due.recycledEventId, correlationId: due.correlationId, leadId: due.leadId }, e, now) as LeadEvent),
  );
  return { state: events.reduce((s, e) => evolve(s, e as Fact), state), events };
}

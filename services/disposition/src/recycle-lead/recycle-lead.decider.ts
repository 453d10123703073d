import type { ContactState, LeadState } from '../domain/contact-state';
import { emission, type DeciderContext, type Decision, type Emission, type InputEvent } from '../domain/decision';
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
export function recycleEmissions(
  lead: LeadState,
  spec: RecycleSpec,
  by: string,
  ctx: DeciderContext,
  causeEventId: string,
): Emission[] {
  const requalifyAt = spec.trigger !== 'signal' && spec.afterDays !== null ? addDays(ctx.now, spec.afterDays) : null;
  const out: Emission[] = [
    emission('LeadRecycled', lead.leadId, 'recycle', causeEventId, {
      previousRepId: lead.ownerRepId,
      code: spec.code,
      reason: spec.reason,
      nurtureTrack: spec.nurtureTrack,
      trigger: spec.trigger,
      requalifyAt,
      policyVersion: ctx.policy.version,
    }),
  ];
  if (lead.stage !== 'inquiry') {
    const why = spec.reason ? `recycled ("${spec.code}"): ${spec.reason}` : `recycled ("${spec.code}")`;
    out.push(stageChange(lead.leadId, lead.stage, 'inquiry', by, why, causeEventId));
  }
  return out;
}

function requalifyEmissions(
  lead: LeadState,
  trigger: 'time' | 'signal',
  signalEventId: string | null,
  causeEventId: string,
  stepSuffix: string,
): Emission[] {
  const recycled = lead.recycled;
  if (!recycled) return [];
  const why = trigger === 'time' ? `re-qualified after the nurture delay of "${recycled.code}"` : 're-qualified by a new intent signal';
  return [
    emission('LeadRequalified', lead.leadId, `requalify${stepSuffix}`, causeEventId, {
      trigger,
      nurtureTrack: recycled.nurtureTrack,
      signalEventId,
      policyVersion: recycled.policyVersion,
    }),
    stageChange(lead.leadId, lead.stage, 'mql', null, why, causeEventId, stepSuffix),
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
    .flatMap((l) => requalifyEmissions(l, 'signal', event.eventId, event.eventId, `:${l.leadId}`));
}

/**
 * The time trigger: re-qualifies every recycled lead whose requalifyAt is
 * at or before `now`. Each emission's cause is the LeadRecycled that set
 * the due time, so a repeated call yields the same event ids.
 */
export function requalifyDue(state: ContactState, now: Date): Decision {
  if (state.suppression) return { emit: [], refusal: null };
  const emit = Object.values(state.leads).flatMap((l) =>
    l.recycled?.requalifyAt && Date.parse(l.recycled.requalifyAt) <= now.getTime()
      ? requalifyEmissions(l, 'time', null, l.recycled.recycledEventId, '')
      : [],
  );
  return { emit, refusal: null };
}

/** The earliest pending due time, for the wiring to schedule the next requalifyDue call. */
export function nextRequalifyAt(state: ContactState): string | null {
  if (state.suppression) return null;
  const due = Object.values(state.leads)
    .map((l) => l.recycled?.requalifyAt ?? null)
    .filter((at): at is string => at !== null)
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  return due[0] ?? null;
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deterministicId, EventCatalogue, type Channel, type EventData, type EventType, type LeadEvent } from '@lead-sla/contracts';
import { decideAndEvolve } from '@lead-sla/decider';
import { parsePolicy, type Policy } from '@lead-sla/policy';
import { dispositionDecider } from '../disposition.decider';
import { initialContactState, type ContactState } from '../domain/contact-state';
import type { DeciderContext, InputEvent, InputType, OutputType, Refusal } from '../domain/decision';
import type { DispositionState } from '../domain/disposition-state';
import { fireDueRequalifications, pendingRequalifications, requalifyDue } from '../recycle-lead/recycle-lead.decider';

export const examplePolicy: Policy = parsePolicy(
  readFileSync(join(__dirname, '../../../../infra/policy/example.policy.yaml'), 'utf8'),
  'example.policy.yaml',
);

/** Monday 1 December 2026, 09:00 UTC: the start of every scenario. */
export const T0 = Date.parse('2026-12-01T09:00:00.000Z');
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export function at(offsetMs: number): string {
  return new Date(T0 + offsetMs).toISOString();
}
export function day(n: number): string {
  return at(n * DAY);
}

export const DEFAULT_REASON = 'the reason the rep gave';
export const DEFAULT_NEXT_STEP = 'the next step the rep named';

let counter = 0;
/** An input as a full contract envelope; its correlation id is `corr-<leadId>`. */
function input<T extends InputType>(type: T, leadId: string, occurredAt: string, data: EventData<T>, eventId?: string): InputEvent<T> {
  counter += 1;
  return {
    type,
    version: EventCatalogue[type].current,
    eventId: eventId ?? `${type}-${counter}`,
    occurredAt,
    recordedAt: occurredAt,
    leadId,
    correlationId: `corr-${leadId}`,
    causationId: null,
    data,
  } as unknown as InputEvent<T>;
}

export const ev = {
  created: (leadId: string, opts: { contactKey?: string; channels?: Channel[]; at?: string; eventId?: string } = {}) =>
    input(
      'LeadCreated',
      leadId,
      opts.at ?? day(0),
      {
        source: 'webinar',
        segment: 'mid-market',
        territory: 'emea',
        intentTier: 'warm',
        vip: false,
        contact: { contactKey: opts.contactKey ?? 'pat@example.com' },
        channels: opts.channels ?? ['phone', 'email'],
      },
      opts.eventId,
    ),
  assigned: (leadId: string, repId: string, when = at(2 * 60_000)) =>
    input('LeadAssigned', leadId, when, {
      repId,
      teamId: 'emea-sdr',
      poolId: 'emea',
      ruleId: 'emea',
      reason: 'rule',
      reassignment: false,
      previousRepId: null,
      reassignmentCause: null,
      skipped: [],
      managerId: 'mgr-emea',
      policyVersion: examplePolicy.version,
    }),
  touched: (
    leadId: string,
    repId: string,
    channel: Channel,
    when: string,
    opts: { direction?: 'outbound' | 'inbound'; personal?: boolean; automated?: boolean } = {},
  ) =>
    input('LeadTouched', leadId, when, {
      repId,
      channel,
      direction: opts.direction ?? 'outbound',
      personal: opts.personal ?? true,
      automated: opts.automated ?? false,
    }),
  /** A close-out with a reason and a next step (every closing code needs both); `null` leaves one out. */
  dispositioned: (leadId: string, repId: string, code: string, opts: { reason?: string | null; nextStep?: string | null; at?: string; eventId?: string } = {}) =>
    input(
      'LeadDispositioned',
      leadId,
      opts.at ?? day(1),
      { actor: null,
        repId,
        code,
        ...(opts.reason !== null ? { reason: opts.reason ?? DEFAULT_REASON } : {}),
        ...(opts.nextStep !== null ? { nextStep: opts.nextStep ?? DEFAULT_NEXT_STEP } : {}),
      },
      opts.eventId,
    ),
  accepted: (leadId: string, repId: string, when = at(HOUR)) => input('LeadAccepted', leadId, when, { actor: null, repId }),
  /** A rejection with one of the example policy's reason codes (and optional free text). */
  rejected: (leadId: string, repId: string, reasonCode: string, reason?: string, when = at(HOUR)) =>
    input('LeadRejected', leadId, when, { actor: null, repId, reasonCode, ...(reason !== undefined ? { reason } : {}) }),
  bounced: (leadId: string, channel: Channel, when = at(HOUR), detail?: string) =>
    input('ContactBounced', leadId, when, { channel, ...(detail ? { detail } : {}) }),
  fixed: (leadId: string, channel: Channel, when = at(2 * HOUR)) => input('ContactFixed', leadId, when, { channel, fixedBy: 'data-desk' }),
  consentWithdrawn: (leadId: string, when = at(HOUR), detail?: string) =>
    input('ConsentWithdrawn', leadId, when, detail ? { detail } : {}),
};

/** Six owned attempts over 14 days on phone and email: exactly the example policy's minimum effort. */
export function enoughEffort(leadId: string, repId: string): InputEvent[] {
  return [0, 1, 3, 6, 10, 14].map((d, i) => ev.touched(leadId, repId, i % 2 ? 'email' : 'phone', day(d)));
}

/** The state before any event: no contact loaded. */
export const emptyDispositionState: DispositionState = { contacts: {}, leadContacts: {}, refusals: [] };

export function ctxAt(now: string | Date, policy: DeciderContext['policy'] = examplePolicy): DeciderContext {
  return { policy, now: typeof now === 'string' ? new Date(now) : now };
}

/** The id the runtime derives for the event a cause emits at `step` (eventFrom). */
export function derivedId(causeEventId: string, step: string, type: EventType): string {
  return deterministicId(causeEventId, step, type);
}

/** One emitted event as a test reads it: the decided emission with the envelope's lead and cause. */
export type Emitted<T extends OutputType = OutputType> = T extends unknown
  ? { readonly type: T; readonly leadId: string; readonly step: string; readonly causeEventId: string; readonly data: EventData<T> }
  : never;

/** Then: what the service emitted for one input (or time trigger), and the refusal it logged. */
export interface Decision {
  readonly emit: readonly Emitted[];
  readonly refusal: Refusal | null;
  /** The envelopes, as they go to the outbox. */
  readonly events: readonly LeadEvent[];
}

/** The one contact a scenario is about (every fixture lead shares one contact key, or is an orphan). */
function contactOf(state: DispositionState): ContactState {
  const contacts = Object.values(state.contacts);
  if (contacts.length > 1) throw new Error(`the scenario touched ${contacts.length} contacts; give every lead the same contactKey`);
  return contacts[0] ?? initialContactState();
}

/** Given/When: one input through the runtime's pure fold (`decideAndEvolve`), at `now`. */
function whenInput(state: DispositionState, event: InputEvent, now: Date, policy: DeciderContext['policy']): { state: DispositionState; decision: Decision } {
  const env = ctxAt(now, policy);
  const steps = dispositionDecider.decide(state, event, env).map((e) => e.step);
  const step = decideAndEvolve(dispositionDecider, state, event, env, now);
  const refusals = step.state.refusals.slice(state.refusals.length);
  const emit = step.emitted.map((e, i) => ({ type: e.type, leadId: e.leadId, step: steps[i], causeEventId: e.causationId, data: e.data }) as Emitted);
  return { state: step.state, decision: { emit, refusal: refusals[0]?.refusal ?? null, events: step.emitted } };
}

/** The time trigger at `now` on the scenario's contact, as the scheduler fires it. */
function whenDue(state: DispositionState, now: Date): { state: DispositionState; decision: Decision } {
  const key = Object.keys(state.contacts)[0];
  if (key === undefined) return { state, decision: { emit: [], refusal: null, events: [] } };
  const steps = requalifyDue(state.contacts[key], now).flatMap((d) => d.emit.map((e) => e.step));
  const fired = fireDueRequalifications(state.contacts[key], now);
  const emit = fired.events.map((e, i) => ({ type: e.type, leadId: e.leadId, step: steps[i], causeEventId: e.causationId, data: e.data }) as Emitted);
  return { state: { ...state, contacts: { ...state.contacts, [key]: fired.state } }, decision: { emit, refusal: null, events: fired.events } };
}

export interface Scenario {
  /** The scenario's contact after the givens. */
  readonly state: ContactState;
  /** Decides on one more input; `now` defaults to the event's occurredAt. */
  when(event: InputEvent, now?: string): Decision;
  /** The time trigger at `now`. */
  due(now: string): Decision;
}

/**
 * Given: the inputs, each handled at its own occurredAt (so the state also
 * holds the events the service emitted on the way).
 */
export function given(events: readonly InputEvent[], policy: DeciderContext['policy'] = examplePolicy): Scenario {
  const state = events.reduce((s, e) => whenInput(s, e, new Date(e.occurredAt), policy).state, emptyDispositionState);
  return {
    state: contactOf(state),
    when: (event, now) => whenInput(state, event, new Date(now ?? event.occurredAt), policy).decision,
    due: (now) => whenDue(state, new Date(now)).decision,
  };
}

/** Handles a sequence including time triggers: `{ due: iso }` fires the due re-qualifications at that time. */
export function run(steps: readonly (InputEvent | { due: string })[], policy: DeciderContext['policy'] = examplePolicy) {
  let state = emptyDispositionState;
  const decisions: Decision[] = [];
  for (const step of steps) {
    const out = 'due' in step ? whenDue(state, new Date(step.due)) : whenInput(state, step, new Date(step.occurredAt), policy);
    state = out.state;
    decisions.push(out.decision);
  }
  return { state: contactOf(state), batch: state, decisions };
}

/** The earliest pending re-qualification due time, or null. */
export function nextRequalifyAt(state: ContactState): string | null {
  const due = pendingRequalifications(state)
    .map((p) => p.requalifyAt)
    .sort((a, b) => Date.parse(a) - Date.parse(b));
  return due[0] ?? null;
}

/** A decision without its envelopes: what was emitted and refused. */
export function verdict(decision: Decision): Pick<Decision, 'emit' | 'refusal'> {
  return { emit: decision.emit, refusal: decision.refusal };
}

export function ofType<T extends OutputType>(decision: Decision, type: T): Emitted<T>[] {
  return decision.emit.filter((e): e is Emitted<T> => e.type === type);
}

export function types(decision: Decision): string[] {
  return decision.emit.map((e) => `${e.type}(${e.leadId})`);
}

/** Every emission must parse against the contract schema of its type. */
export function expectValidAgainstContracts(decision: Decision): void {
  for (const e of decision.emit) {
    const def = EventCatalogue[e.type];
    const schema = def.versions[def.current as keyof typeof def.versions] as { safeParse(d: unknown): { success: boolean; error?: unknown } };
    const result = schema.safeParse(e.data);
    if (!result.success) throw new Error(`${e.type} does not match its contract: ${String(result.error)}`);
  }
}

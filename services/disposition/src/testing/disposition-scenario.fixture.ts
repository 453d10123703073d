import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventCatalogue, type Channel, type EventData } from '@lead-sla/contracts';
import { parsePolicy, type Policy } from '@lead-sla/policy';
import { decide, handle, handleDue } from '../disposition.decider';
import { initialContactState, type ContactState } from '../domain/contact-state';
import type { DeciderContext, Decision, Emission, InputEvent, InputType, OutputType } from '../domain/decision';

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

let counter = 0;
function input<T extends InputType>(type: T, leadId: string, occurredAt: string, data: EventData<T>, eventId?: string): InputEvent<T> {
  counter += 1;
  return { type, leadId, occurredAt, eventId: eventId ?? `${type}-${counter}`, data } as unknown as InputEvent<T>;
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
  dispositioned: (leadId: string, repId: string, code: string, opts: { reason?: string; nextStep?: string; at?: string; eventId?: string } = {}) =>
    input(
      'LeadDispositioned',
      leadId,
      opts.at ?? day(1),
      {
        repId,
        code,
        ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
        ...(opts.nextStep !== undefined ? { nextStep: opts.nextStep } : {}),
      },
      opts.eventId,
    ),
  accepted: (leadId: string, repId: string, when = at(HOUR)) => input('LeadAccepted', leadId, when, { repId }),
  rejected: (leadId: string, repId: string, reason: string, when = at(HOUR)) => input('LeadRejected', leadId, when, { repId, reason }),
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

export function ctxAt(now: string | Date, policy: DeciderContext['policy'] = examplePolicy): DeciderContext {
  return { policy, now: typeof now === 'string' ? new Date(now) : now };
}

export const testIdFor = (cause: string, step: string): string => `${cause}/${step}`;

export interface Scenario {
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
  const state = events.reduce((s, e) => handle(s, e, ctxAt(e.occurredAt, policy), testIdFor).state, initialContactState());
  return {
    state,
    when: (event, now) => decide(state, event, ctxAt(now ?? event.occurredAt, policy)),
    due: (now) => handleDue(state, new Date(now), testIdFor).decision,
  };
}

/** Handles a sequence including time triggers: `{ due: iso }` runs requalifyDue at that time. */
export function run(steps: readonly (InputEvent | { due: string })[], policy: DeciderContext['policy'] = examplePolicy) {
  let state = initialContactState();
  const decisions: Decision[] = [];
  for (const step of steps) {
    const out = 'due' in step ? handleDue(state, new Date(step.due), testIdFor) : handle(state, step, ctxAt(step.occurredAt, policy), testIdFor);
    state = out.state;
    decisions.push(out.decision);
  }
  return { state, decisions };
}

export function ofType<T extends OutputType>(decision: Decision, type: T): Emission<T>[] {
  return decision.emit.filter((e): e is Emission<T> => e.type === type);
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

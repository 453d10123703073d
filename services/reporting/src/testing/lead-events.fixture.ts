import type { ClockKind, EscalationAction, EventData, EventOf, EventType } from '@lead-sla/contracts';

/**
 * Builders for the events the projection specs feed in. Every instant is
 * given explicitly (minutes after T0), so the specs never depend on the
 * wall clock; event ids are derived from the lead, type and a per-call tag.
 */

export const T0 = '2026-03-02T09:00:00.000Z';

/** The instant `minutes` after T0 (fractions allowed). */
export function at(minutes: number): string {
  return new Date(Date.parse(T0) + minutes * 60_000).toISOString();
}

let counter = 0;

export function event<T extends EventType>(
  type: T,
  leadId: string | null,
  occurredAt: string,
  data: EventData<T>,
  eventId?: string,
): EventOf<T> {
  counter += 1;
  return {
    type,
    version: 1,
    eventId: eventId ?? `${leadId ?? 'rep'}-${type}-${counter}`,
    occurredAt,
    recordedAt: occurredAt,
    leadId,
    correlationId: `corr-${leadId ?? 'rep'}`,
    causationId: null,
    data,
  } as unknown as EventOf<T>;
}

/** The disposition service's verdict on an accept/reject request (reporting counts only the verdict). */
export function salDecided(leadId: string, occurredAt: string, decision: 'accepted' | 'rejected', repId: string, reasonCode: string | null = null, reason: string | null = null) {
  return event('SalDecisionRecorded', leadId, occurredAt, { decision, repId, ownerRepId: repId, requestEventId: `req-${leadId}-${occurredAt}`, reasonCode, reason, policyVersion: 'test-1' });
}

export function leadCreated(
  leadId: string,
  when: string,
  over: Partial<EventData<'LeadCreated'>> = {},
): EventOf<'LeadCreated'> {
  return event('LeadCreated', leadId, when, {
    source: 'webinar',
    segment: 'smb',
    territory: 'emea',
    intentTier: 'hot',
    vip: false,
    contact: { contactKey: `${leadId}@example.com`, email: `${leadId}@example.com` },
    channels: ['phone', 'email'],
    ...over,
  });
}

export function leadAssigned(
  leadId: string,
  when: string,
  repId: string,
  over: Partial<EventData<'LeadAssigned'>> = {},
): EventOf<'LeadAssigned'> {
  return event('LeadAssigned', leadId, when, {
    repId,
    teamId: 'team-a',
    poolId: 'pool-a',
    ruleId: 'rule-1',
    reason: 'rule',
    reassignment: false,
    previousRepId: null,
    reassignmentCause: null,
    skipped: [],
    managerId: 'mgr-a',
    policyVersion: 'v1',
    ...over,
  });
}

export function leadReassigned(
  leadId: string,
  when: string,
  repId: string,
  previousRepId: string,
  over: Partial<EventData<'LeadAssigned'>> = {},
): EventOf<'LeadAssigned'> {
  return leadAssigned(leadId, when, repId, {
    reason: 'reassignment',
    reassignment: true,
    previousRepId,
    reassignmentCause: 'first_touch SLA breached',
    teamId: 'team-b',
    poolId: 'pool-b',
    ...over,
  });
}

export function leadTouched(
  leadId: string,
  when: string,
  repId: string,
  over: Partial<EventData<'LeadTouched'>> = {},
): EventOf<'LeadTouched'> {
  return event('LeadTouched', leadId, when, {
    repId,
    channel: 'phone',
    direction: 'outbound',
    personal: true,
    automated: false,
    outcome: 'no_answer',
    ...over,
  });
}

interface ClockFactOptions {
  readonly clockId?: string;
  readonly ownerRepId?: string | null;
  readonly teamId?: string | null;
  readonly startedAt?: string;
  readonly deadline: string;
  readonly minutes?: number;
}

function clockFacts(leadId: string, clock: ClockKind, o: ClockFactOptions) {
  const startedAt = o.startedAt ?? T0;
  return {
    clockId: o.clockId ?? `${leadId}:${clock}:1`,
    clock,
    tier: 'hot',
    ownerRepId: o.ownerRepId ?? null,
    teamId: o.teamId ?? 'team-a',
    managerId: 'mgr-a',
    math: {
      startedAt,
      coverageStart: startedAt,
      coverageMinutes: o.minutes ?? 10,
      deadline: o.deadline,
      calendarId: 'cal-emea',
      timeZone: 'Europe/London',
    },
    policyVersion: 'v1',
  };
}

export function slaWarning(leadId: string, when: string, clock: ClockKind, o: ClockFactOptions): EventOf<'SlaWarning'> {
  return event('SlaWarning', leadId, when, { ...clockFacts(leadId, clock, o), warnAt: when });
}

export function slaBreached(leadId: string, when: string, clock: ClockKind, o: ClockFactOptions): EventOf<'SlaBreached'> {
  return event('SlaBreached', leadId, when, clockFacts(leadId, clock, o));
}

export function slaEscalated(
  leadId: string,
  when: string,
  clock: ClockKind,
  step: number,
  action: EscalationAction,
  o: ClockFactOptions,
): EventOf<'SlaEscalated'> {
  return event('SlaEscalated', leadId, when, { ...clockFacts(leadId, clock, o), step, action, lastStep: action === 'reassign' });
}

export function stageChanged(
  leadId: string,
  when: string,
  from: EventData<'LeadStageChanged'>['from'],
  to: EventData<'LeadStageChanged'>['to'],
): EventOf<'LeadStageChanged'> {
  return event('LeadStageChanged', leadId, when, { from, to, by: null, reason: null });
}

export function leadRecycled(leadId: string, when: string, previousRepId: string | null): EventOf<'LeadRecycled'> {
  return event('LeadRecycled', leadId, when, {
    previousRepId,
    code: 'Bad Timing',
    reason: 'next quarter',
    nurtureTrack: 'nurture-q',
    trigger: 'time',
    requalifyAt: null,
    policyVersion: 'v1',
  });
}

export function leadRequalified(leadId: string, when: string): EventOf<'LeadRequalified'> {
  return event('LeadRequalified', leadId, when, {
    trigger: 'signal',
    nurtureTrack: 'nurture-q',
    signalEventId: null,
    policyVersion: 'v1',
  });
}

export function leadSuppressed(leadId: string, when: string): EventOf<'LeadSuppressed'> {
  return event('LeadSuppressed', leadId, when, {
    cause: 'consent_withdrawn',
    code: null,
    reason: null,
    policyVersion: 'v1',
  });
}

export function leadDispositioned(
  leadId: string,
  when: string,
  repId: string,
  over: Partial<EventData<'LeadDispositioned'>> = {},
): EventOf<'LeadDispositioned'> {
  return event('LeadDispositioned', leadId, when, { actor: null, repId, code: 'Working', reason: 'called twice', nextStep: 'call again', ...over });
}

export function repAvailabilityChanged(repId: string, when: string): EventOf<'RepAvailabilityChanged'> {
  return event('RepAvailabilityChanged', null, when, { actor: null, repId, status: 'unavailable' });
}

/** Applies events in order, the way the consumer does one message at a time. */
export function replay<R, E>(evolve: (row: R | null, e: E) => R | null, events: readonly E[], from: R | null = null): R | null {
  return events.reduce<R | null>((row, e) => evolve(row, e), from);
}

/** Freezes a value deeply, so a spec proves that evolve never mutates its input. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as Record<string, unknown>)) deepFreeze(v);
  }
  return value;
}

export function slaClockStarted(leadId: string, when: string, clock: ClockKind, o: ClockFactOptions): EventOf<'SlaClockStarted'> {
  return event('SlaClockStarted', leadId, when, clockFacts(leadId, clock, { startedAt: when, ...o }));
}

export function slaClockStopped(
  leadId: string,
  when: string,
  clock: ClockKind,
  outcome: 'met' | 'cancelled',
  o: { readonly clockId?: string; readonly deadline: string; readonly ownerRepId?: string | null },
): EventOf<'SlaClockStopped'> {
  return event('SlaClockStopped', leadId, when, {
    clockId: o.clockId ?? `${leadId}:${clock}:1`,
    clock,
    outcome,
    stoppedAt: when,
    deadline: o.deadline,
    ownerRepId: o.ownerRepId ?? null,
    policyVersion: 'v1',
  });
}

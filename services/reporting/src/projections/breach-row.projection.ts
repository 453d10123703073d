import { assertNever } from '@lead-sla/contracts';
import type { ClockKind, EscalationAction, EventOf, LeadEvent } from '@lead-sla/contracts';
import { secondsBetween, utcDay } from './projection-time.util';

/**
 * The breach table: one row per SlaBreached and one per SlaEscalated step,
 * behind the daily missed-SLA report and the weekly fallback review.
 *
 * Idempotency is by construction: the key is derived from the event's own
 * facts (lead, clock instance, step), a row is written once and never
 * changed after, so a duplicate — same eventId or a resend of the same
 * step under another id — leaves the existing row as it is.
 */
export interface BreachRow {
  /** `${leadId}/${clockId}/breach` or `${leadId}/${clockId}/step-${n}`. */
  readonly breachKey: string;
  readonly kind: 'breach' | 'escalation';
  readonly eventId: string;
  readonly leadId: string;
  readonly clockId: string;
  readonly clock: ClockKind;
  readonly tier: string;
  /** 0 for the breach itself, n for the n-th escalation step after it. */
  readonly step: number;
  readonly action: EscalationAction | null;
  readonly lastStep: boolean | null;
  readonly ownerRepId: string | null;
  readonly teamId: string | null;
  readonly managerId: string | null;
  readonly occurredAt: string;
  /** UTC date of occurredAt, for the daily missed-SLA report. */
  readonly day: string;
  readonly startedAt: string;
  readonly coverageStart: string;
  readonly coverageMinutes: number;
  readonly deadline: string;
  readonly calendarId: string;
  readonly timeZone: string;
  /** Seconds from the deadline to the event (how late the timer fired or the step ran). */
  readonly secondsAfterDeadline: number;
  readonly policyVersion: string;
}

type BreachEvent = (EventOf<'SlaBreached'> | EventOf<'SlaEscalated'>) & { readonly leadId: string };

function isBreachEvent(event: LeadEvent): event is BreachEvent {
  switch (event.type) {
    case 'SlaBreached':
    case 'SlaEscalated':
      return event.leadId !== null;
    case 'LeadCreated':
    case 'LeadTouched':
    case 'ContactBounced':
    case 'ContactFixed':
    case 'ConsentWithdrawn':
    case 'RepAvailabilityChanged':
    case 'RepReinstated':
    case 'LeadReassignmentRequested':
    case 'RoutingWakeUp':
    case 'LeadInquiryRecorded':
    case 'LeadAssigned':
    case 'LeadQueued':
    case 'RepRotationChanged':
    case 'SlaWarning':
    case 'SlaClockStarted':
    case 'SlaClockStopped':
    case 'LeadAcknowledged':
    case 'LeadDispositioned':
    case 'LeadAccepted':
    case 'LeadRejected':
    case 'SalDecisionRecorded':
    case 'SalDecisionRefused':
    case 'DispositionRejected':
    case 'DispositionRecorded':
    case 'LeadRecycled':
    case 'LeadSuppressed':
    case 'LeadRequalified':
    case 'LeadStageChanged':
    case 'DataCleanupRequested':
    case 'PolicyPublished':
      return false;
    default:
      return assertNever(event, 'breach-row projection');
  }
}

/** The breach row an event writes, or null when the event writes none. */
export function breachRowKeyOf(event: LeadEvent): string | null {
  return isBreachEvent(event) ? keyOf(event) : null;
}

function keyOf(event: BreachEvent): string {
  const suffix = event.type === 'SlaBreached' ? 'breach' : `step-${event.data.step}`;
  return `${event.leadId}/${event.data.clockId}/${suffix}`;
}

/** Writes the row for a breach or escalation step once; everything else leaves the row as it is. */
export function evolveBreachRow(row: BreachRow | null, event: LeadEvent): BreachRow | null {
  if (!isBreachEvent(event)) return row;
  if (row !== null) return row;
  const d = event.data;
  const escalation = event.type === 'SlaEscalated' ? event.data : null;
  return {
    breachKey: keyOf(event),
    kind: escalation ? 'escalation' : 'breach',
    eventId: event.eventId,
    leadId: event.leadId,
    clockId: d.clockId,
    clock: d.clock,
    tier: d.tier,
    step: escalation ? escalation.step : 0,
    action: escalation ? escalation.action : null,
    lastStep: escalation ? escalation.lastStep : null,
    ownerRepId: d.ownerRepId,
    teamId: d.teamId,
    managerId: d.managerId,
    occurredAt: event.occurredAt,
    day: utcDay(event.occurredAt),
    startedAt: d.math.startedAt,
    coverageStart: d.math.coverageStart,
    coverageMinutes: d.math.coverageMinutes,
    deadline: d.math.deadline,
    calendarId: d.math.calendarId,
    timeZone: d.math.timeZone,
    secondsAfterDeadline: secondsBetween(d.math.deadline, event.occurredAt),
    policyVersion: d.policyVersion,
  };
}

import { assertNever } from '@lead-sla/contracts';
import type { ClockKind, ClockMath, LeadEvent } from '@lead-sla/contracts';

/**
 * One row per SLA clock instance the timer told us about, with the clock
 * math that produced its deadline: the lead timeline shows each deadline
 * and why it was what it was.
 *
 * Idempotent by construction: every field is either fixed by the instance
 * (the math, the owner) or the first time a fact was seen (warned, breached,
 * stopped), so a duplicate leaves the row as it is (same object).
 */
export interface ClockInstanceRow {
  readonly clockId: string;
  readonly leadId: string;
  readonly clock: ClockKind;
  readonly tier: string | null;
  readonly ownerRepId: string | null;
  readonly teamId: string | null;
  readonly math: ClockMath | null;
  readonly deadline: string;
  readonly warnedAt: string | null;
  readonly breachedAt: string | null;
  readonly escalationSteps: number;
  /** met | cancelled once the timer stopped the instance. */
  readonly outcome: 'met' | 'cancelled' | null;
  readonly stoppedAt: string | null;
  readonly policyVersion: string;
}

export function clockInstanceKeyOf(event: LeadEvent): string | null {
  switch (event.type) {
    case 'SlaClockStarted':
    case 'SlaWarning':
    case 'SlaBreached':
    case 'SlaEscalated':
    case 'SlaClockStopped':
      return event.leadId === null ? null : event.data.clockId;
    default:
      return null;
  }
}

export function evolveClockInstance(row: ClockInstanceRow | null, event: LeadEvent): ClockInstanceRow | null {
  if (clockInstanceKeyOf(event) === null || event.leadId === null) return row;
  switch (event.type) {
    case 'SlaClockStopped': {
      const d = event.data;
      const base: ClockInstanceRow = row ?? {
        clockId: d.clockId, leadId: event.leadId, clock: d.clock, tier: null, ownerRepId: d.ownerRepId, teamId: null,
        math: null, deadline: d.deadline, warnedAt: null, breachedAt: null, escalationSteps: 0, outcome: null, stoppedAt: null,
        policyVersion: d.policyVersion,
      };
      if (base.outcome !== null) return row ?? base;
      return { ...base, outcome: d.outcome, stoppedAt: d.stoppedAt };
    }
    case 'SlaClockStarted':
    case 'SlaWarning':
    case 'SlaBreached':
    case 'SlaEscalated': {
      const d = event.data;
      const base: ClockInstanceRow =
        row === null
          ? { clockId: d.clockId, leadId: event.leadId, clock: d.clock, tier: d.tier, ownerRepId: d.ownerRepId, teamId: d.teamId,
              math: d.math, deadline: d.math.deadline, warnedAt: null, breachedAt: null, escalationSteps: 0, outcome: null, stoppedAt: null,
              policyVersion: d.policyVersion }
          : row.math === null
            ? { ...row, tier: d.tier, teamId: d.teamId, math: d.math, deadline: d.math.deadline }
            : row;
      if (event.type === 'SlaWarning' && base.warnedAt === null) return { ...base, warnedAt: event.occurredAt };
      if (event.type === 'SlaBreached' && base.breachedAt === null) return { ...base, breachedAt: event.occurredAt };
      if (event.type === 'SlaEscalated' && event.data.step > base.escalationSteps) return { ...base, escalationSteps: event.data.step };
      return base;
    }
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
      return row;
    default:
      return assertNever(event, 'clock-instance projection');
  }
}

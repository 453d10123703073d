import type { ClockKind, EventOf } from '@lead-sla/contracts';
import { policyLookup, type CalendarPolicy, type Policy, type TierPolicy } from '@lead-sla/policy';
import { coverageCalendarFor, isCovered } from '@lead-sla/sla-clock';
import { openClock, pruneClocks, startClock, stopClock, timerEvent } from '../domain/clock-schedule.util';
import type { ClockState, DeadlineRow, LeadTimerState, Owner, TimerDecision, TimerEmittedEvent, TimerInputEvent } from '../domain/timer-state';

/** Clocks that belong to an owner: reassignment and closing stop them. */
const OWNER_CLOCKS: readonly ClockKind[] = ['first_touch', 'second_touch', 'accept_reject', 'response', 'reply_escalation', 'effort'];
/** Clocks a lead-facing acknowledgement is about: the lead waits for a person. */
const ACK_CLOCKS: readonly ClockKind[] = ['assign', 'first_touch'];

/** Accumulates one decision; keeps the rules below readable. */
class Decision {
  private schedule: DeadlineRow[] = [];
  private cancel: string[] = [];
  private emit: TimerEmittedEvent[] = [];

  constructor(
    public state: LeadTimerState,
    private readonly event: TimerInputEvent,
    private readonly policy: Policy,
    private readonly now: Date,
  ) {}

  private tier(): TierPolicy | undefined {
    const lead = this.state.lead;
    // Without LeadCreated the lead cannot be matched: fall back to the catch-all tier.
    return lead ? policyLookup.tierFor(this.policy, lead) : [...this.policy.clocks.tiers].reverse().find((t) => !t.when);
  }

  private calendarOf(owner: Owner | null): CalendarPolicy {
    const defaultId = this.policy.clocks.defaultCalendarId;
    if (!owner) return policyLookup.calendar(this.policy, defaultId);
    // A team missing from this policy version (version skew): count on the default calendar rather than drop the clock.
    const team = this.policy.teams.find((t) => t.id === owner.teamId);
    return policyLookup.calendar(this.policy, team ? team.calendarId : defaultId);
  }

  start(clock: ClockKind, owner: Owner | null): void {
    const tier = this.tier();
    const clockPolicy = tier?.clocks[clock];
    if (!tier || !clockPolicy || !clockPolicy.enabled) return;
    const calendar = this.calendarOf(owner);
    const started = startClock({
      leadId: this.state.leadId,
      clock,
      policy: clockPolicy,
      tier: tier.id,
      owner,
      calendar,
      policyVersion: this.policy.version,
      cause: this.event,
    });
    this.state = { ...this.state, clocks: [...this.state.clocks, started.clock] };
    this.schedule.push(...started.rows);
    // The deadline is known from the start: the board shows live countdowns without waiting for a breach.
    const c = started.clock;
    this.emit.push(
      timerEvent(
        'SlaClockStarted',
        { clockId: c.clockId, clock: c.clock, tier: c.tier, ownerRepId: owner?.repId ?? null, teamId: owner?.teamId ?? null, managerId: owner?.managerId ?? null, math: c.math, policyVersion: c.policyVersion },
        { idParts: [c.clockId], leadId: this.state.leadId, correlationId: this.event.correlationId, causationId: this.event.eventId, now: this.now },
      ),
    );
    if (ACK_CLOCKS.includes(clock)) this.acknowledgeIfAfterHours(started.clock);
  }

  /**
   * `met`: the event is the clock's own stopping event; `cancelled`: the clock
   * ends for another reason (owner change, close-out). SlaClockStopped is
   * emitted only for a running clock stopped strictly before its deadline;
   * otherwise SlaBreached (still scheduled, or already fired) tells the outcome.
   */
  stop(clocks: readonly ClockKind[], outcome: 'met' | 'cancelled' = 'cancelled'): void {
    const at = this.event.occurredAt;
    const next: ClockState[] = this.state.clocks.map((c) => {
      if (!clocks.includes(c.clock) || c.status === 'stopped') return c;
      const stopped = stopClock(c, at);
      this.cancel.push(...stopped.cancel);
      if (c.status === 'running' && Date.parse(at) < Date.parse(c.math.deadline)) {
        this.emit.push(
          timerEvent(
            'SlaClockStopped',
            { clockId: c.clockId, clock: c.clock, outcome, stoppedAt: at, deadline: c.math.deadline, ownerRepId: c.owner?.repId ?? null, policyVersion: c.policyVersion },
            { idParts: [c.clockId], leadId: this.state.leadId, correlationId: this.event.correlationId, causationId: this.event.eventId, now: this.now },
          ),
        );
      }
      return stopped.clock;
    });
    this.state = { ...this.state, clocks: next };
  }

  stopAll(): void {
    this.stop(this.state.clocks.map((c) => c.clock));
  }

  /** Running or breached: its stopping event has not happened yet. */
  isOpen(clock: ClockKind): boolean {
    return openClock(this.state, clock) !== undefined;
  }

  /** DOMAIN.md: a lead arriving after hours gets an immediate acknowledgement (once). */
  private acknowledgeIfAfterHours(clock: ClockState): void {
    if (this.state.acknowledged) return;
    if (isCovered(coverageCalendarFor(clock.calendar), Date.parse(clock.math.startedAt))) return;
    this.state = { ...this.state, acknowledged: true };
    this.emit.push(
      timerEvent(
        'LeadAcknowledged',
        { calendarId: clock.math.calendarId, timeZone: clock.math.timeZone, coverageStart: clock.math.coverageStart, policyVersion: clock.policyVersion },
        { idParts: [this.event.eventId], leadId: this.state.leadId, correlationId: this.event.correlationId, causationId: this.event.eventId, now: this.now },
      ),
    );
  }

  result(): TimerDecision {
    return { state: { ...this.state, clocks: pruneClocks(this.state.clocks) }, schedule: this.schedule, cancel: this.cancel, emit: this.emit };
  }
}

/** An owned touch: personal, outbound, not automated, by the current owner. Nothing else stops a clock. */
export function isOwnedTouch(state: LeadTimerState, event: EventOf<'LeadTouched'>): boolean {
  const t = event.data;
  return state.owner !== null && t.repId === state.owner.repId && t.personal && !t.automated && t.direction === 'outbound';
}

/**
 * Applies one lead event to the lead's clocks: which clocks start, stop or
 * restart, which deadline rows to schedule and cancel, which events to emit.
 * Pure: time comes from the event (clock starts and stops) and from `now`
 * (when emitted events are recorded).
 */
export function applyLeadEvent(state: LeadTimerState, event: TimerInputEvent, policy: Policy, now: Date): TimerDecision {
  const d = new Decision(state, event, policy, now);
  switch (event.type) {
    case 'LeadCreated': {
      const { source, territory, segment, intentTier, vip } = event.data;
      d.state = { ...d.state, lead: { source, territory, segment, intentTier, vip }, closed: false };
      if (!d.isOpen('assign')) d.start('assign', null);
      break;
    }
    case 'LeadQueued':
      if (!d.isOpen('unassigned_queue')) d.start('unassigned_queue', null);
      break;
    case 'LeadAssigned': {
      const a = event.data;
      const managerId = a.managerId ?? policy.teams.find((t) => t.id === a.teamId)?.managerId ?? null;
      // A new owner gets fresh clocks: the previous owner's are cancelled, first_touch restarts.
      d.stop(['assign', 'unassigned_queue'], 'met');
      d.stop(OWNER_CLOCKS);
      const owner: Owner = { repId: a.repId, teamId: a.teamId, managerId };
      // Assigned again after closing (requalified): a new cycle, SAL decision and response start over.
      const fresh = d.state.closed ? { salDecided: false, responded: false } : {};
      d.state = { ...d.state, ...fresh, owner, closed: false, attempts: 0 };
      d.start('first_touch', owner);
      if (!d.state.salDecided) d.start('accept_reject', owner);
      if (!d.state.responded) d.start('response', owner);
      break;
    }
    case 'LeadTouched':
      if (event.data.direction === 'inbound') d.stop(['reply_escalation'], 'met');
      if (!isOwnedTouch(d.state, event)) break;
      d.state = { ...d.state, attempts: (d.state.attempts ?? 0) + 1 };
      if (d.isOpen('first_touch')) {
        d.stop(['first_touch', 'response'], 'met');
        d.state = { ...d.state, responded: true };
        d.start('second_touch', d.state.owner);
        d.start('reply_escalation', d.state.owner);
        // Effort: the policy's minimum attempts within the clock's window, counted from the first touch.
        d.start('effort', d.state.owner);
      } else if (d.isOpen('second_touch')) {
        d.stop(['second_touch'], 'met');
      }
      if (d.isOpen('effort') && (d.state.attempts ?? 0) >= policy.clocks.effort.attempts) d.stop(['effort'], 'met');
      break;
    case 'LeadAccepted':
      d.stop(['accept_reject'], 'met');
      d.state = { ...d.state, salDecided: true };
      break;
    case 'LeadRejected':
      // A rejected MQL goes back to marketing: the SAL decision is made, the owner's other work on it ends.
      d.stop(['accept_reject'], 'met');
      d.stopAll();
      d.state = { ...d.state, salDecided: true, closed: true };
      break;
    case 'DispositionRecorded':
      // Only an applied disposition closes the lead: a LeadDispositioned may still be refused
      // (DispositionRejected), and then the owner's clocks keep running.
      if (event.data.closes) {
        d.stopAll();
        d.state = { ...d.state, closed: true };
      }
      break;
    case 'LeadRecycled':
    case 'LeadSuppressed':
      d.stopAll();
      d.state = { ...d.state, owner: null, closed: true };
      break;
    default: {
      const unhandled: never = event;
      throw new Error(`timer: no rule for event ${JSON.stringify((unhandled as { type?: unknown }).type)}`);
    }
  }
  return d.result();
}

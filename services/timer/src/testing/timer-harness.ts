import type { Policy } from '@lead-sla/policy';
import { applyLeadEvent } from '../apply-lead-event/apply-lead-event.decider';
import { fireDeadline } from '../fire-deadline/fire-deadline.decider';
import { initialTimerState, type DeadlineRow, type LeadTimerState, type TimerDecision, type TimerEmittedEvent, type TimerInputEvent } from '../domain/timer-state';
import { LEAD } from './timer-fixtures';

/** One line per emitted event, for readable assertions. */
export function describeEvent(e: TimerEmittedEvent): string {
  switch (e.type) {
    case 'SlaClockStarted':
      return `${e.occurredAt} SlaClockStarted ${e.data.clock} (deadline ${e.data.math.deadline})`;
    case 'SlaClockStopped':
      return `${e.occurredAt} SlaClockStopped ${e.data.clock} ${e.data.outcome} at ${e.data.stoppedAt}`;
    case 'SlaWarning':
      return `${e.occurredAt} SlaWarning ${e.data.clock} (deadline ${e.data.math.deadline})`;
    case 'SlaBreached':
      return `${e.occurredAt} SlaBreached ${e.data.clock} owner=${e.data.ownerRepId ?? '-'}`;
    case 'SlaEscalated':
      return `${e.occurredAt} SlaEscalated ${e.data.clock} step ${e.data.step} ${e.data.action}${e.data.lastStep ? ' (last)' : ''}`;
    case 'LeadAcknowledged':
      return `${e.occurredAt} LeadAcknowledged from ${e.data.coverageStart}`;
    default: {
      const unknown: never = e;
      return `unexpected ${JSON.stringify(unknown)}`;
    }
  }
}

/**
 * The timer on a fake clock: deadline rows in a map, fired in due order as
 * time advances (what the Postgres table and the in-memory wheel do in production).
 */
export class TimerHarness {
  state: LeadTimerState = initialTimerState(LEAD);
  readonly deadlines = new Map<string, DeadlineRow>();
  readonly emitted: TimerEmittedEvent[] = [];
  readonly decisions: TimerDecision[] = [];
  now = 0;

  constructor(public policy: Policy) {}

  private apply(decision: TimerDecision): TimerDecision {
    this.state = decision.state;
    for (const id of decision.cancel) this.deadlines.delete(id);
    for (const row of decision.schedule) this.deadlines.set(row.deadlineId, row);
    this.emitted.push(...decision.emit);
    this.decisions.push(decision);
    return decision;
  }

  /** Delivers an event at its occurredAt, firing every deadline due before it first. */
  given(...events: TimerInputEvent[]): this {
    for (const event of events) {
      this.advanceTo(event.occurredAt, false);
      this.apply(applyLeadEvent(this.state, event, this.policy, new Date(this.now)));
    }
    return this;
  }

  /** Fires every deadline due strictly before `iso` (or at it when `inclusive`). */
  advanceTo(iso: string, inclusive = true): this {
    const until = Date.parse(iso);
    for (;;) {
      const due = [...this.deadlines.values()]
        .filter((r) => Date.parse(r.dueAt) < until || (inclusive && Date.parse(r.dueAt) === until))
        .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.step - b.step)[0];
      if (!due) break;
      this.deadlines.delete(due.deadlineId);
      this.now = Math.max(this.now, Date.parse(due.dueAt));
      this.apply(fireDeadline(this.state, due, new Date(this.now)));
    }
    this.now = Math.max(this.now, until);
    return this;
  }

  /** Warnings, breaches, escalations and acknowledgements (what a person is told). */
  log(): string[] {
    return this.emitted.filter((e) => e.type !== 'SlaClockStarted' && e.type !== 'SlaClockStopped').map(describeEvent);
  }

  /** Clock starts and stops (what the board's countdowns are built from). */
  clockLog(): string[] {
    return this.emitted.filter((e) => e.type === 'SlaClockStarted' || e.type === 'SlaClockStopped').map(describeEvent);
  }

  pending(): string[] {
    return [...this.deadlines.values()]
      .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))
      .map((r) => `${r.dueAt} ${r.clock} ${r.kind}${r.kind === 'escalation' ? ` ${r.step}` : ''}`);
  }
}

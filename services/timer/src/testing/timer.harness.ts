import { decideAndEvolve } from '@lead-sla/decider';
import type { Policy } from '@lead-sla/policy';
import { timerDecider } from '../apply-lead-event/lead-timer.decider';
import { deadlineRowsOf } from '../domain/clock-schedule.util';
import { initialTimerState, type LeadTimerState, type TimerEmittedEvent, type TimerEnv, type TimerInputEvent, type TimerState, type TraceContext } from '../domain/timer-state';
import { fireBatch } from '../fire-deadline/fire-batch.util';
import { LEAD } from './timer.fixture';

/** The trace context stored with every harness deadline row (what it fires is published under it). */
export const HARNESS_TRACE: TraceContext = { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' };

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
 * The timer on a fake clock, Given/When/Then style: inputs go through the
 * runtime's `decideAndEvolve`; the pending deadlines are derived from the
 * state (as the rows are in production) and fired in due order as time
 * advances, through the same evolve. Each fired event then comes back as
 * an input (the timer consumes its own events from the log), and the
 * harness checks that this changes nothing and decides nothing.
 */
export class TimerHarness {
  state: TimerState = new Map([[LEAD, initialTimerState(LEAD)]]);
  readonly emitted: TimerEmittedEvent[] = [];
  /** The inputs, in the order given (their order in the log). */
  readonly inputs: TimerInputEvent[] = [];
  /** Each emitted event with the number of inputs consumed when it was emitted: the log has it after those. */
  readonly published: Array<{ readonly afterInputs: number; readonly event: TimerEmittedEvent }> = [];
  now = 0;

  constructor(public policy: Policy) {}

  get lead(): LeadTimerState {
    return this.state.get(LEAD)!;
  }

  private env(): TimerEnv {
    return { policy: this.policy };
  }

  /** Delivers an event at its occurredAt, firing every deadline due before it first. */
  given(...events: TimerInputEvent[]): this {
    for (const event of events) {
      this.advanceTo(event.occurredAt, false);
      const step = decideAndEvolve(timerDecider, this.state, event, this.env(), new Date(this.now));
      this.state = step.state;
      this.inputs.push(event);
      this.publish(step.emitted as TimerEmittedEvent[]);
    }
    return this;
  }

  /** Fires every deadline due strictly before `iso` (or at it when `inclusive`). */
  advanceTo(iso: string, inclusive = true): this {
    const until = Date.parse(iso);
    for (;;) {
      const due = deadlineRowsOf(this.lead)
        .filter((r) => Date.parse(r.dueAt) < until || (inclusive && Date.parse(r.dueAt) === until))
        .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt) || a.step - b.step)[0];
      if (!due) break;
      this.now = Math.max(this.now, Date.parse(due.dueAt));
      const fired = fireBatch(this.state, [{ deadlineId: due.deadlineId, leadId: LEAD, trace: HARNESS_TRACE }], new Date(this.now), this.env());
      if (fired.state === this.state) throw new Error(`harness: deadline ${due.deadlineId} (${due.clock} ${due.kind}) is pending but firing it changed nothing`);
      this.state = fired.state;
      for (const { event } of fired.fired) {
        this.publish([event]);
        const echo = decideAndEvolve(timerDecider, this.state, event, this.env(), new Date(this.now));
        if (echo.state !== this.state || echo.emitted.length > 0) throw new Error(`harness: ${event.type} read back from the log changed the state or decided something`);
      }
    }
    this.now = Math.max(this.now, until);
    return this;
  }

  private publish(events: readonly TimerEmittedEvent[]): void {
    this.emitted.push(...events);
    this.published.push(...events.map((event) => ({ afterInputs: this.inputs.length, event })));
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
    return deadlineRowsOf(this.lead)
      .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt))
      .map((r) => `${r.dueAt} ${r.clock} ${r.kind}${r.kind === 'escalation' ? ` ${r.step}` : ''}`);
  }
}

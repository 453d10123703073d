import { assertNever } from '@lead-sla/contracts';
import type { Channel, ClockKind } from '@lead-sla/contracts';
import { effortSoFar, isInboundReply, isOwnedTouch, meetsSecondTouch, minimumEffortMet, OWNER_CLOCKS, ASSIGNMENT_CLOCKS, LEAD_CLOCKS, CLOCKS_STARTED_BY_DATA_CLEANUP } from '@lead-sla/lead-lifecycle';
import { escalationStep, openClock, pruneClocks, stopClock } from './clock-schedule.util';
import { startClocks, type StartedClocks } from './clock-start.util';
import { initialTimerState, type ClockState, type FiredEvent, type LeadTimerState, type Owner, type TimerEnv, type TimerEvent, type TimerInputEvent, type TimerState } from './timer-state';

/** A clock an input stopped: the clock as it was, and whether the input was its own stopping event. */
export interface StoppedClock {
  readonly clock: ClockState;
  readonly outcome: 'met' | 'cancelled';
  readonly at: string;
}

class InputEffects {
  readonly stops: StoppedClock[] = [];
  constructor(public state: LeadTimerState, private readonly at: string) {}

  set(patch: Partial<LeadTimerState>): void {
    this.state = { ...this.state, ...patch };
  }

  /** `met`: the input is the clocks' own stopping event; `cancelled`: they end for another reason (owner change, close-out). */
  stop(kinds: readonly ClockKind[], outcome: 'met' | 'cancelled' = 'cancelled'): void {
    const clocks = this.state.clocks.map((c) => {
      if (!kinds.includes(c.clock) || c.status === 'stopped') return c;
      this.stops.push({ clock: c, outcome, at: this.at });
      return stopClock(c, this.at);
    });
    this.state = { ...this.state, clocks };
  }

  /** The lead's own clocks (response) keep their deadline; whoever holds the lead now holds them. */
  handLeadClocksTo(owner: Owner | null): void {
    this.set({ clocks: this.state.clocks.map((c) => (LEAD_CLOCKS.includes(c.clock) && c.status !== 'stopped' ? { ...c, owner } : c)) });
  }

  stopAll(): void {
    this.stop(this.state.clocks.map((c) => c.clock));
  }

  isOpen(clock: ClockKind): boolean {
    return openClock(this.state, clock) !== undefined;
  }
}

/**
 * What an input does to a lead (pure): which clocks stop (at the event's
 * occurredAt), how the owner and the cycle change, which clocks start, and
 * whether the lead is acknowledged after hours. The state follows from the
 * inputs (and the fired deadlines) alone, so folding the log rebuilds it
 * wherever the timer's own decisions about it were published. `decide`
 * reads `stops` and `started` to announce SlaClockStopped, SlaClockStarted
 * and LeadAcknowledged.
 */
export function inputEffects(state: LeadTimerState, event: TimerInputEvent, env: TimerEnv): { state: LeadTimerState; stops: readonly StoppedClock[]; started: StartedClocks } {
  const e = new InputEffects(state, event.occurredAt);
  switch (event.type) {
    case 'LeadCreated': {
      const { source, territory, segment, intentTier, vip, channels } = event.data;
      e.set({ lead: { source, territory, segment, intentTier, vip }, channels, closed: false });
      break;
    }
    case 'LeadQueued':
      // Nobody could take the lead (a reassignment that found nobody): it left its owner, whose clocks stop —
      // a later breach would not be their miss. The lead's own clocks wait in the queue with it.
      e.stop(OWNER_CLOCKS);
      e.handLeadClocksTo(null);
      e.set({ owner: null });
      break;
    case 'LeadAssigned': {
      const a = event.data;
      const managerId = a.managerId ?? env.policy.teams.find((t) => t.id === a.teamId)?.managerId ?? null;
      // A new owner gets fresh clocks: the previous owner's are cancelled, first_touch restarts.
      e.stop(ASSIGNMENT_CLOCKS, 'met');
      // The fixed lead going back to an owner ends its time in cleanup.
      e.stop(CLOCKS_STARTED_BY_DATA_CLEANUP, a.reason === 'data_fixed' ? 'met' : 'cancelled');
      e.stop(OWNER_CLOCKS);
      // The data desk is measured by its own clock: the lead's response clock stops there and starts again
      // (if the lead was not yet reached) when the fixed lead returns to sales.
      if (a.reason === 'data_cleanup') e.stop(LEAD_CLOCKS);
      const owner: Owner = { repId: a.repId, teamId: a.teamId, managerId };
      e.handLeadClocksTo(owner);
      // Assigned again after closing (requalified): a new cycle, the SAL decision, response and effort start over.
      // Handed to the AE pool at SQL: the AE has an accept/reject decision of their own to make, on its own clock.
      const fresh = e.state.closed ? { salDecided: false, responded: false, attempts: [] } : a.reason === 'stage_handoff' ? { salDecided: false } : {};
      e.set({ ...fresh, owner, closed: false });
      break;
    }
    case 'LeadTouched': {
      const touch = event.data;
      if (isInboundReply(touch)) e.stop(['reply_escalation'], 'met');
      if (!isOwnedTouch(touch, e.state.owner?.repId ?? null)) break;
      e.set({ attempts: [...e.state.attempts, { at: event.occurredAt, channel: touch.channel }] });
      if (e.isOpen('first_touch')) {
        e.stop(['first_touch', 'response'], 'met');
        e.set({ responded: true });
      } else if (meetsSecondTouchOf(e.state, touch.channel, env)) {
        e.stop(['second_touch'], 'met');
      }
      // The reply clock's touch task is done: its ladder (the manager's escalation of an untouched task) ends.
      if (touchTaskScheduled(e.state)) e.stop(['reply_escalation']);
      // The one minimum-effort rule (also disposition's "No Response" gate): attempts, days and channels.
      const effort = effortSoFar(e.state.attempts, new Date(event.occurredAt));
      if (e.isOpen('effort') && minimumEffortMet(effort, e.state.channels, env.policy.dispositions.minimumEffort)) e.stop(['effort'], 'met');
      break;
    }
    case 'SalDecisionRecorded':
      // Only the disposition service's verdict counts: an accept/reject request may still be refused
      // (SalDecisionRefused, e.g. by someone who is not the owner), and then every clock keeps running.
      e.stop(['accept_reject'], 'met');
      if (event.data.decision === 'accepted') {
        e.set({ salDecided: true });
        break;
      }
      // A rejected MQL goes back to marketing: the SAL decision is made, the owner's other work on it ends.
      e.stopAll();
      e.set({ salDecided: true, closed: true });
      break;
    case 'DispositionRecorded':
      // Only an applied disposition closes the lead: a LeadDispositioned may still be refused
      // (DispositionRejected), and then the owner's clocks keep running.
      if (event.data.closes) {
        e.stopAll();
        e.set({ closed: true });
      }
      break;
    case 'LeadRecycled':
    case 'LeadSuppressed':
      e.stopAll();
      e.set({ owner: null, closed: true });
      break;
    case 'SlaWarning':
    case 'SlaBreached':
    case 'SlaEscalated':
      e.set(applyFired(e.state, event));
      break;
    default: {
      // A new input type needs a rule here (or leaves TIMER_INPUT_TYPES).
      return assertNever(event, 'timer evolve');
    }
  }
  const stopped = { ...e.state, clocks: pruneClocks(e.state.clocks) };
  const started = startClocks(state, stopped, event, env);
  const next = started.clocks.length > 0 ? { ...stopped, clocks: [...stopped.clocks, ...started.clocks], acknowledged: stopped.acknowledged || started.acknowledgedBy !== null } : stopped;
  return { state: next, stops: e.stops, started };
}

/**
 * An owned touch meets the open second-touch clock unless the policy requires another channel than the
 * first touch's (the touch that started the clock) and the lead has one.
 */
function meetsSecondTouchOf(state: LeadTimerState, channel: Channel, env: TimerEnv): boolean {
  const clock = openClock(state, 'second_touch');
  if (!clock) return false;
  const first = state.attempts.find((a) => a.at === clock.math.startedAt);
  return !first || meetsSecondTouch(env.policy.clocks.secondTouchChannel, first.channel, channel, state.channels);
}

/** The breached reply clock has fired its schedule_touch_task step (no later step is still pending for it). */
function touchTaskScheduled(state: LeadTimerState): boolean {
  const clock = state.clocks.find((c) => c.clock === 'reply_escalation' && c.status === 'breached');
  if (!clock) return false;
  const taskStep = clock.ladder.findIndex((s) => s.action === 'schedule_touch_task') + 1;
  return taskStep > 0 && !clock.pending.some((d) => d.kind === 'escalation' && d.step <= taskStep);
}

/**
 * A fired deadline applied to its clock. Idempotent: a fired event already
 * applied when it fired (the timer also consumes its own events from the
 * log) finds its deadline no longer pending and changes nothing.
 */
function applyFired(state: LeadTimerState, event: FiredEvent): Partial<LeadTimerState> {
  const { clockId } = event.data;
  const kind = event.type === 'SlaEscalated' ? 'escalation' : event.type === 'SlaWarning' ? 'warning' : 'breach';
  const step = event.type === 'SlaEscalated' ? event.data.step : 0;
  const clock = state.clocks.find((c) => c.clockId === clockId);
  const due = clock?.pending.find((d) => d.kind === kind && d.step === step);
  if (!clock || !due) return {};
  let next: ClockState = { ...clock, pending: clock.pending.filter((d) => d !== due) };
  const climb = (step: number) => {
    const s = escalationStep(clock, step, due.dueAt);
    if (s) next = { ...next, pending: [...next.pending, s] };
  };
  if (event.type === 'SlaBreached' && clock.status === 'running') {
    next = { ...next, status: 'breached' };
    climb(1);
  }
  if (event.type === 'SlaEscalated' && clock.status === 'breached') climb(event.data.step + 1);
  return { clocks: state.clocks.map((c) => (c.clockId === clockId ? next : c)) };
}

/** The one place a lead's clocks change: folds any timer event (an input, or what decide and firing emitted). Pure. */
export function evolveLead(state: LeadTimerState, event: TimerEvent, env: TimerEnv): LeadTimerState {
  switch (event.type) {
    case 'SlaClockStarted':
    case 'SlaClockStopped':
    case 'LeadAcknowledged':
      // The input they answer already started or stopped the clock and acknowledged the lead. They change
      // nothing, so a replay folding them wherever the relay published them (after later inputs of the
      // lead, maybe) cannot revive a clock one of those inputs stopped.
      return state;
    case 'SlaWarning':
    case 'SlaBreached':
    case 'SlaEscalated': {
      // Unchanged (the same object) when it comes back from the log: nothing to write.
      const fired = applyFired(state, event);
      return fired.clocks ? { ...state, clocks: pruneClocks(fired.clocks) } : state;
    }
    default:
      return inputEffects(state, event, env).state;
  }
}

/** evolve over the batch state: the event's lead changes, the others stay as they are. */
export function evolve(state: TimerState, event: TimerEvent, env: TimerEnv): TimerState {
  if (event.leadId === null) return state;
  const lead = state.get(event.leadId) ?? initialTimerState(event.leadId);
  const next = evolveLead(lead, event, env);
  if (next === lead) return state;
  return new Map(state).set(event.leadId, next);
}

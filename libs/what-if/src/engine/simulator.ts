import { deterministicId, type LeadEvent } from '@lead-sla/contracts';
import { eventOfEmission, type Emission } from '@lead-sla/decider';
import type { Policy } from '@lead-sla/policy';
import { DISPOSITION_INPUT_TYPES, dispositionDecider, dispositionStateOf, fireDueRequalifications, pendingRequalifications, type ContactState, type DispositionInputEvent, type DispositionState } from '@lead-sla/disposition-pure';
import { decideRouting, evolveRouting, routingInputTypes, teamShiftPort, type LeadRoutingState, type RoutingInputEvent } from '@lead-sla/routing-pure';
import { fireDue, TIMER_INPUT_TYPES, timerChanges, timerDecider, type LeadTimerState, type TimerInputEvent, type TimerState } from '@lead-sla/timer-pure';
import { DueQueue, type DueItem } from './due-queue';
import { RoutingStore } from './routing-store';

export interface SimulatorOptions {
  /** The policy in force at a simulated instant (ms): the baseline before the period, the candidate in it. */
  policyAt(at: number): Policy;
  /**
   * When the platform recorded the decision with this event id, if it made
   * it: a replay then stamps the same decision with the same time (the
   * service's processing delay), which is what deadlines count from. A
   * decision the platform never made is stamped with the simulated time of
   * its cause.
   */
  recordedTimeOf?(eventId: string): string | undefined;
  /** Every event of the simulated log, in order: the facts as they are applied and each decision as it is made. */
  onEvent(event: LeadEvent): void;
}

const routingInputs: ReadonlySet<string> = new Set(routingInputTypes);
const timerInputs: ReadonlySet<string> = new Set(TIMER_INPUT_TYPES);
const dispositionInputs: ReadonlySet<string> = new Set(DISPOSITION_INPUT_TYPES);

const idOf = (cause: LeadEvent, e: Emission) => deterministicId(cause.eventId, e.step, e.type);

/**
 * Runs routing, the timer and disposition — their real pure deciders — in
 * one process on a simulated clock, with their states in memory. Facts are
 * applied in the order they were recorded; every event (fact or decision)
 * goes through a FIFO bus to each service that consumes its type, as the
 * log feeds them live. Timer deadlines and re-qualifications fire at their
 * due time, before any fact recorded after it (live, a deadline fires only
 * once everything logged before it has been applied).
 */
export class Simulator {
  private readonly routing = new RoutingStore();
  private readonly timer = new Map<string, LeadTimerState>();
  private readonly contacts = new Map<string, ContactState>();
  private readonly contactOfLead = new Map<string, string>();
  private readonly due = new DueQueue();
  private readonly scheduledRequalifications = new Set<string>();
  private readonly bus: LeadEvent[] = [];
  private clock = Number.NEGATIVE_INFINITY;
  private applied = 0;
  private decided = 0;

  constructor(private readonly options: SimulatorOptions) {}

  /** Facts applied and decisions made so far. */
  get counts(): { facts: number; decisions: number; pendingTimedWork: number } {
    return { facts: this.applied, decisions: this.decided, pendingTimedWork: this.due.size };
  }

  /** The simulated time (ms): the latest fact, decision or due time reached. */
  get now(): number {
    return this.clock;
  }

  /** Routing's view of a lead now (who owns it), or null before routing saw it. */
  routedLead(leadId: string): LeadRoutingState | null {
    return this.routing.lead(leadId);
  }

  /** Applies one recorded fact at its recorded time, after everything due before it. Facts must come in recorded order. */
  apply(fact: LeadEvent): void {
    const at = Date.parse(fact.recordedAt);
    if (Number.isNaN(at)) throw new Error(`what-if: event ${fact.eventId} (${fact.type}) has no valid recordedAt ("${fact.recordedAt}")`);
    this.advanceTo(at);
    this.clock = Math.max(this.clock, at);
    this.applied++;
    this.publish(fact);
  }

  /** Fires every deadline and re-qualification due strictly before `until` (ms), in due order. */
  advanceTo(until: number): void {
    for (let item = this.due.popBefore(until); item !== null; item = this.due.popBefore(until)) {
      this.clock = Math.max(this.clock, item.dueAt);
      this.fire(item);
      // Whatever is due by now fires in the same batch (live: one fire transaction, e.g. a breach and its ladder's
      // first step due with it), before any service reacts to what fired; then the reactions, before anything due later.
      for (let same = this.due.popBefore(Math.min(until, this.clock + 1)); same !== null; same = this.due.popBefore(Math.min(until, this.clock + 1))) this.fire(same);
      this.drain();
    }
  }

  private fire(item: DueItem): void {
    if (item.kind === 'deadline') this.fireDeadline(item.leadId, item.id);
    else this.fireRequalification(item.contactKey);
  }

  private publish(first: LeadEvent): void {
    this.bus.push(first);
    this.drain();
  }

  private drain(): void {
    while (this.bus.length > 0) {
      const event = this.bus.shift()!;
      this.options.onEvent(event);
      if (routingInputs.has(event.type)) this.decideRouting(event as RoutingInputEvent);
      if (timerInputs.has(event.type) && event.leadId !== null) this.decideTimer(event as TimerInputEvent);
      if (dispositionInputs.has(event.type) && event.leadId !== null) this.decideDisposition(event as DispositionInputEvent);
    }
  }

  private emit(events: readonly LeadEvent[]): void {
    this.decided += events.length;
    this.bus.push(...events);
  }

  /** When a decision on `cause` is made: as the platform recorded it (same derived id), else at the simulated time. */
  private decisionTime(ids: () => readonly string[], cause: LeadEvent): Date {
    const recordedTimeOf = this.options.recordedTimeOf;
    // Ids are derived (a hash each) only when there are recorded decisions to look them up in.
    if (recordedTimeOf) {
      for (const id of ids()) {
        const recorded = recordedTimeOf(id);
        if (recorded !== undefined) return new Date(recorded);
      }
    }
    return new Date(Math.max(this.clock, Date.parse(cause.recordedAt)));
  }

  private decideRouting(input: RoutingInputEvent): void {
    const policy = this.options.policyAt(this.clock);
    const env = { policy, now: input.occurredAt, isOnShift: teamShiftPort(policy) };
    const before = this.routing.load(input);
    const emissions = decideRouting(before, input, env);
    const now = this.decisionTime(() => emissions.map((e) => idOf(input, e)), input);
    const events = emissions.map((e) => eventOfEmission(input, e, now));
    const after = events.reduce((s, e) => evolveRouting(s, e, env), evolveRouting(before, input, env));
    this.routing.save(before, after);
    this.emit(events);
  }

  private decideTimer(input: TimerInputEvent): void {
    const leadId = input.leadId!;
    const env = { policy: this.options.policyAt(this.clock) };
    const before: TimerState = this.timerStateOf(leadId);
    const emissions = timerDecider.decide(before, input, env);
    const now = this.decisionTime(() => emissions.map((e) => idOf(input, e)), input);
    const events = emissions.map((e) => eventOfEmission(input, e, now));
    const after = events.reduce((s, e) => timerDecider.evolve(s, e, env), timerDecider.evolve(before, input, env));
    this.saveTimer(before, after);
    this.emit(events);
  }

  private fireDeadline(leadId: string, deadlineId: string): void {
    const lead = this.timer.get(leadId);
    if (!lead) return;
    const probe = fireDue(lead, deadlineId, new Date(this.clock));
    if (probe.length === 0) return; // cancelled (or fired) since it was scheduled
    const at = this.decisionTime(() => probe.map((e) => e.eventId), probe[0]);
    const fired = at.getTime() === this.clock ? probe : fireDue(lead, deadlineId, at);
    const env = { policy: this.options.policyAt(this.clock) };
    const before: TimerState = new Map([[leadId, lead]]);
    const after = fired.reduce((s, e) => timerDecider.evolve(s, e, env), before);
    this.saveTimer(before, after);
    this.emit(fired);
  }

  private timerStateOf(leadId: string): TimerState {
    const lead = this.timer.get(leadId);
    return lead ? new Map([[leadId, lead]]) : new Map();
  }

  private saveTimer(before: TimerState, after: TimerState): void {
    const changes = timerChanges(before, after);
    for (const s of changes.states) this.timer.set(s.leadId, s);
    for (const row of changes.inserted) this.due.push({ kind: 'deadline', dueAt: Date.parse(row.dueAt), id: row.deadlineId, leadId: row.leadId });
  }

  private decideDisposition(input: DispositionInputEvent): void {
    const env = (now: Date) => ({ policy: this.options.policyAt(this.clock), now });
    const before = this.dispositionStateOf(input);
    const provisional = new Date(Math.max(this.clock, Date.parse(input.recordedAt)));
    let emissions = dispositionDecider.decide(before, input, env(provisional));
    const now = this.decisionTime(() => emissions.map((e) => idOf(input, e)), input);
    // The disposition decider reads the time (e.g. a re-qualification date): decide again at the recorded one.
    if (now.getTime() !== provisional.getTime()) emissions = dispositionDecider.decide(before, input, env(now));
    const events = emissions.map((e) => eventOfEmission(input, e, now));
    const after = events.reduce((s, e) => dispositionDecider.evolve(s, e, env(now)), dispositionDecider.evolve(before, input, env(now)));
    this.saveContacts(before, after);
    this.emit(events);
  }

  private dispositionStateOf(input: DispositionInputEvent): DispositionState {
    const keys = new Set<string>();
    const known = this.contactOfLead.get(input.leadId);
    if (known) keys.add(known);
    if (input.type === 'LeadCreated') keys.add(input.data.contact.contactKey);
    const present = [...keys].filter((k) => this.contacts.has(k));
    return dispositionStateOf(present.map((k) => this.contacts.get(k)!), present);
  }

  private saveContacts(before: DispositionState, after: DispositionState): void {
    for (const [key, contact] of Object.entries(after.contacts)) {
      if (before.contacts[key] === contact) continue;
      this.contacts.set(key, contact);
      for (const leadId of Object.keys(contact.leads)) this.contactOfLead.set(leadId, key);
      for (const p of pendingRequalifications(contact)) {
        if (this.scheduledRequalifications.has(p.recycledEventId)) continue;
        this.scheduledRequalifications.add(p.recycledEventId);
        this.due.push({ kind: 'requalify', dueAt: Date.parse(p.requalifyAt), id: p.recycledEventId, contactKey: key });
      }
    }
  }

  private fireRequalification(contactKey: string): void {
    const contact = this.contacts.get(contactKey);
    if (!contact) return;
    const probe = fireDueRequalifications(contact, new Date(this.clock));
    if (probe.events.length === 0) return;
    const at = this.decisionTime(() => probe.events.map((e) => e.eventId), probe.events[0]);
    const { state, events } = at.getTime() === this.clock ? probe : fireDueRequalifications(contact, at);
    this.contacts.set(contactKey, state);
    this.emit(events);
  }
}

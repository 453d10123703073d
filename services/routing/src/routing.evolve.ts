import { assertNever } from '@lead-sla/contracts';
import type { LeadAssignedData, LeadEvent } from '@lead-sla/contracts';
import { breachIsRepMiss, isOwnedTouch } from '@lead-sla/lead-lifecycle';
import { leadFromCreated } from './assign-lead/assign-lead.decider';
import { ownerBeforeCleanup } from './contact-data/contact-data.decider';
import { isRoutingFact, type RoutingFact, type RoutingOutputEvent } from './domain/routing-events.types';
import { decisionOrder } from './domain/decision-order.util';
import { repStateOf, type ContactLead, type DecisionLogEntry, type DecisionStamp, type LeadRoutingState, type RoutingEnv, type RoutingState } from './domain/routing-state.types';
import { appendLog, dequeue, enqueue, learnAccountOwner, moveCapacity, setLead, setPool, setRep } from './domain/routing-state.util';
import { reassignmentFor } from './reassign-lead/reassign-lead.decider';
import { evolveNotRouted, evolveRecycleLead, evolveSuppressLead, isSuppressed } from './release-lead/release-lead.evolve';
import { evolveRepAvailability } from './rep-availability/rep-availability.evolve';
import { evolveRotationChanged, recordMiss } from './rotation-penalty/rotation-penalty.decider';

/** Other leads of the lead's contact that the state holds (loaded for LeadCreated / LeadRequalified). */
export function sameContactOf(s: RoutingState, lead: LeadRoutingState): ContactLead[] {
  return [...s.leads.values()]
    .filter((l) => l.contactKey === lead.contactKey && l.leadId !== lead.leadId)
    .map((l) => ({ leadId: l.leadId, createdAt: l.createdAt, ownerRepId: l.ownerRepId }));
}

/**
 * A recycled (or otherwise re-qualified) lead starts over: it awaits a
 * first touch again; the old owner keeps its count only if it still held
 * one, so the assignment moves it from there.
 */
export function restartedLead(lead: LeadRoutingState): LeadRoutingState {
  const { released: _released, pendingReassignment: _pending, ...active } = lead;
  return { ...active, ownerRepId: lead.awaitingFirstTouch ? lead.ownerRepId : null, awaitingFirstTouch: true };
}

/**
 * Did this assignment come from round robin (which moves the pool's
 * pointer) rather than a direct owner (duplicate, account owner, data
 * cleanup, back from cleanup)? Read from the event, the lead's own state
 * (same partition) and the policy only, never from state other partitions
 * feed, so a fold in any partition interleaving classes it the same way.
 * A re-qualified lead's direct owner (the same contact's owner, a learned
 * company owner) is such state: there a pick counts as round robin when
 * the rep is in the pool the event names and is not the company's owner in
 * the policy.
 */
function isRoundRobinPick(lead: LeadRoutingState, data: LeadAssignedData, env: RoutingEnv): boolean {
  switch (data.reason) {
    case 'reassignment':
      // An SLA fallback is the pool's round robin; a manager's chosen rep (reassignment: false) is not.
      return data.reassignment;
    case 'rule':
    case 'overflow':
    case 'queue_drain':
    case 'stage_handoff':
      return true;
    case 'duplicate':
    case 'account_owner':
    case 'data_cleanup':
      return false;
    case 'data_fixed': {
      const cleanup = env.policy.routing.dataCleanupOwner;
      return cleanup === undefined || ownerBeforeCleanup(lead, cleanup) !== data.repId;
    }
    case 'requalified': {
      const staticOwner = lead.accountDomain === null ? undefined : env.policy.routing.accountOwners[lead.accountDomain];
      return data.repId !== staticOwner && (env.policy.pools.find((p) => p.id === data.poolId)?.reps.includes(data.repId) ?? false);
    }
    default: {
      // A new assignment reason must be classed here (does it move the pool's pointer?).
      return assertNever(data.reason, 'routing evolve: LeadAssigned reason');
    }
  }
}

/** The decision log entry of a decision, from the event alone (a replay folds logged decisions without their cause). */
function logEntryOf(event: Extract<RoutingOutputEvent, { type: 'LeadAssigned' | 'LeadQueued' }>): DecisionLogEntry {
  return {
    kind: event.type,
    eventId: event.eventId,
    causeEventId: event.causationId ?? '',
    decidedAt: event.recordedAt,
    data: event.data as unknown as Record<string, unknown>,
  };
}

/**
 * LeadAssigned: the new owner and history, capacity moved, out of the
 * queue (all the lead's own state); the pool's pointer and the company's
 * learned owner, which leads on every partition feed, kept by decision
 * time: the latest round-robin pick, the earliest owner learned.
 */
function evolveAssigned(s: RoutingState, event: Extract<RoutingOutputEvent, { type: 'LeadAssigned' }>, env: RoutingEnv): RoutingState {
  const lead = event.leadId === null ? undefined : s.leads.get(event.leadId);
  if (lead === undefined) return s;
  const d = event.data;
  const stamp: DecisionStamp = { at: event.recordedAt, eventId: event.eventId, causeId: event.causationId ?? '' };
  const roundRobin = isRoundRobinPick(lead, d, env);
  // The first rep a company's lead reaches by rule becomes the company's owner (unless the policy names one).
  const learns =
    roundRobin && (d.reason === 'rule' || d.reason === 'overflow' || d.reason === 'requalified') && lead.accountDomain !== null && env.policy.routing.accountOwners[lead.accountDomain] === undefined;
  const { pendingReassignment: _done, ...rest } = lead;
  let next = moveCapacity(s, lead, lead.ownerRepId, d.repId);
  next = setLead(next, { ...rest, poolId: d.poolId, ruleId: d.ruleId, ownerRepId: d.repId, ownerHistory: [...lead.ownerHistory, { repId: d.repId, assignedAt: event.recordedAt, reason: d.reason }] });
  const pool = next.pools.get(d.poolId)?.lastAssigned ?? null;
  if (roundRobin && (pool === null || decisionOrder(stamp, pool) >= 0)) next = setPool(next, { poolId: d.poolId, lastAssignedRepId: d.repId, lastAssigned: stamp });
  if (learns && lead.accountDomain !== null) next = learnAccountOwner(next, lead.accountDomain, { repId: d.repId, ...stamp });
  return appendLog(dequeue(next, lead.leadId), lead.leadId, logEntryOf(event));
}

/** LeadQueued: no owner (capacity released), queued for its pool; a queued reassignment keeps its cause and exclusions. */
function evolveQueued(s: RoutingState, event: Extract<RoutingOutputEvent, { type: 'LeadQueued' }>): RoutingState {
  const lead = event.leadId === null ? undefined : s.leads.get(event.leadId);
  if (lead === undefined) return s;
  const { pendingReassignment: pending, ...rest } = lead;
  let next = moveCapacity(s, lead, lead.ownerRepId, null);
  next = setLead(next, { ...rest, poolId: event.data.poolId, ruleId: event.data.ruleId, ownerRepId: null });
  next = enqueue(next, { leadId: lead.leadId, queuedAt: event.recordedAt, excludeRepIds: pending?.excludeRepIds ?? [], reassignmentCause: pending?.cause ?? null });
  return appendLog(next, lead.leadId, logEntryOf(event));
}

/** LeadInquiryRecorded: the lead stays with marketing (never owned, never queued); the why endpoint says why. */
function evolveInquiry(s: RoutingState, event: Extract<RoutingOutputEvent, { type: 'LeadInquiryRecorded' }>): RoutingState {
  const lead = event.leadId === null ? undefined : s.leads.get(event.leadId);
  if (lead === undefined) return s;
  const d = event.data;
  const threshold = d.minScore === null ? 'only hand-raiser sources qualify' : `the MQL threshold is a score of ${d.minScore}`;
  const note = `LeadCreated not routed: an inquiry (source ${d.source}, score ${d.score ?? 'none'}; ${threshold})`;
  return appendLog(setLead(s, { ...lead, released: 'inquiry' }), lead.leadId, {
    kind: 'Note', eventId: event.eventId, causeType: 'LeadCreated', causeEventId: event.causationId ?? '', decidedAt: event.recordedAt, data: { note },
  });
}

function evolveFact(s: RoutingState, event: RoutingFact, env: RoutingEnv): RoutingState {
  const lead = event.leadId === null ? null : (s.leads.get(event.leadId) ?? null);
  switch (event.type) {
    case 'LeadCreated': {
      // Redelivery of a lead already routed: the first decision stands.
      if (lead !== null || event.leadId === null) return s;
      const created = leadFromCreated(event.leadId, event.occurredAt, event.data);
      return isSuppressed(s, created) ? evolveNotRouted(s, created, 'LeadCreated', env) : setLead(s, created);
    }
    case 'LeadRequalified':
      if (lead === null) return s;
      return isSuppressed(s, lead) ? evolveNotRouted(s, lead, 'LeadRequalified', env) : setLead(s, restartedLead(lead));
    case 'LeadTouched': {
      if (lead === null || !isOwnedTouch(event.data, lead.ownerRepId)) return s;
      // The owner's touch does the open touch task: it is no longer the next action to hand on.
      const touched = lead.nextActionIsTask ? withoutNextAction(lead) : lead;
      if (!lead.awaitingFirstTouch) return touched === lead ? s : setLead(s, touched);
      return setLead(moveCapacity(s, lead, lead.ownerRepId, null), { ...touched, awaitingFirstTouch: false });
    }
    case 'SlaBreached': {
      const b = event.data;
      // The reassignment, if any, comes with the clock's ladder step (SlaEscalated).
      return event.leadId !== null && breachIsRepMiss(env.policy, b)
        ? setRep(s, recordMiss(repStateOf(s, b.ownerRepId), { leadId: event.leadId, clock: b.clock, breachedAt: event.occurredAt }, env))
        : s;
    }
    case 'SlaEscalated': {
      const e = event.data;
      // The reply clock's touch task is the lead's next action until the owner does it (or a disposition sets another).
      if (e.action === 'schedule_touch_task' && e.task && lead !== null) return setLead(s, { ...lead, nextAction: touchTaskAction(e.task), nextActionIsTask: true });
      const pending = e.action === 'reassign' ? reassignmentFor({ ownerRepId: e.ownerRepId, cause: reassignStepCause(e) }, lead, env) : null;
      return lead !== null && pending !== null ? setLead(s, { ...lead, pendingReassignment: pending }) : s;
    }
    case 'ContactBounced':
    case 'DataCleanupRequested':
    case 'ContactFixed':
    case 'RepReinstated':
    case 'LeadReassignmentRequested':
    case 'RoutingWakeUp':
    case 'LeadStageChanged':
      // Only the decision (LeadAssigned / RepRotationChanged) changes state.
      return s;
    case 'LeadDispositioned': {
      // Only a verified disposition (DispositionRecorded) sets the next action; until then it waits under its event id.
      const nextStep = event.data.nextStep;
      if (lead === null || nextStep === undefined) return s;
      return setLead(s, { ...lead, pendingNextSteps: { ...lead.pendingNextSteps, [event.eventId]: nextStep } });
    }
    case 'DispositionRecorded':
    case 'DispositionRejected': {
      if (lead === null || lead.pendingNextSteps === undefined) return s;
      const { [event.data.dispositionEventId]: nextStep, ...others } = lead.pendingNextSteps;
      if (nextStep === undefined) return s;
      // Recorded: its next step becomes the lead's next action. Refused: it is dropped, the next action in force stays.
      const { pendingNextSteps: _settled, ...rest } = lead;
      const settled = { ...rest, ...(Object.keys(others).length > 0 ? { pendingNextSteps: others } : {}) };
      return setLead(s, event.type === 'DispositionRecorded' ? { ...withoutNextAction(settled), nextAction: nextStep } : settled);
    }
    case 'LeadRecycled':
      return evolveRecycleLead(s, lead, event.data.nurtureTrack, env);
    case 'LeadSuppressed':
      return evolveSuppressLead(s, lead, event.data.cause === 'consent_withdrawn' ? 'consent withdrawn' : `disposition ${event.data.code ?? ''}`.trim(), env);
    case 'ConsentWithdrawn':
      return evolveSuppressLead(s, lead, 'consent withdrawn', env);
    case 'RepAvailabilityChanged':
      return setRep(s, evolveRepAvailability(repStateOf(s, event.data.repId), event.data, env));
    case 'LeadAssigned':
      return evolveAssigned(s, event, env);
    case 'LeadQueued':
      return evolveQueued(s, event);
    case 'LeadInquiryRecorded':
      return evolveInquiry(s, event);
    case 'RepRotationChanged':
      return setRep(s, evolveRotationChanged(repStateOf(s, event.data.repId), event.data, event.recordedAt, env));
    default: {
      return assertNever(event, 'routing evolve');
    }
  }
}

/** The cause a reassigning escalation step gives (LeadAssigned.reassignmentCause). */
/** The open touch task, as the next action a new owner is handed. */
export function touchTaskAction(task: { dueAt: string; channels: readonly string[] }): string {
  return `Touch task: reach the lead again by ${task.dueAt}${task.channels.length > 0 ? ` on ${task.channels.join(', ')}` : ''}`;
}

function withoutNextAction<L extends { nextAction?: string; nextActionIsTask?: boolean }>(lead: L): L {
  const { nextAction: _action, nextActionIsTask: _task, ...rest } = lead;
  return rest as L;
}

export function reassignStepCause(e: { clock: string; step: number }): string {
  return `${e.clock} SLA escalation step ${e.step}: reassign`;
}

const outputTypes: ReadonlySet<string> = new Set(['LeadAssigned', 'LeadQueued', 'RepRotationChanged']);

/**
 * The one place routing's state changes (pure): from the facts routing
 * consumes and from the decisions it publishes, live (right after decide)
 * and in a rebuild (the logged decisions, folded without re-deciding).
 * Whatever several partitions feed (pool pointers, learned company owners,
 * suppressed contacts, a rep's misses and open count) is folded so that
 * any interleaving of the partitions gives the same state; see README.md.
 * A fact also becomes the cause of the notes its fold writes.
 */
export function evolveRouting(state: RoutingState, event: LeadEvent, env: RoutingEnv): RoutingState {
  if (!isRoutingFact(event)) return state;
  const s = outputTypes.has(event.type) ? state : { ...state, folding: { eventId: event.eventId, type: event.type } };
  return evolveFact(s, event, env);
}

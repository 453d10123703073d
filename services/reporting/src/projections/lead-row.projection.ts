import {
  ClockKind,
  type AssignmentReason,
  type Channel,
  type EventOf,
  type FunnelStage,
  type IntentTier,
  type LeadEvent,
  assertNever,
} from '@lead-sla/contracts';
import { isOwnedTouch } from '@lead-sla/lead-lifecycle';
import { earliest } from './projection-time.util';

/**
 * The lead row: one per lead, every milestone and SLA outcome, the read
 * model behind the lead timeline and the daily scorecards.
 *
 * Idempotency: the row keeps the ids of every event applied to it
 * (`appliedEventIds`) and returns itself unchanged for an id it has seen.
 * A lead sees tens of events in its life, so the list stays small, and
 * the check is exact — a late duplicate of an old LeadAssigned cannot
 * move the owner back, which "last write wins" would.
 */

export type LeadStatus =
  | 'unassigned'
  | 'queued'
  | 'awaiting_first_touch'
  | 'working'
  | 'rejected'
  | 'recycled'
  | 'requalified'
  | 'suppressed'
  /** Closed out with a code that neither recycles nor suppresses (e.g. Duplicate, Qualified). */
  | 'closed';

export type ClockStatus = 'not_started' | 'pending' | 'met' | 'breached';

/** The outcome of one SLA clock over the lead's life (all instances of that clock). */
export interface ClockOutcome {
  /**
   * The timer's verdict: breached once any instance breached (SlaBreached);
   * else met when the timer stopped the latest instance as met
   * (SlaClockStopped); else pending once the timer started one
   * (SlaClockStarted). A cancelled instance (owner change, close-out) counts
   * as neither met nor breached.
   */
  readonly status: ClockStatus;
  /** When the timer started the clock's first instance (its math.startedAt). */
  readonly startedAt: string | null;
  /** When the timer stopped the latest instance as met; null while it runs, after a breach or a cancel. */
  readonly stoppedAt: string | null;
  /** The latest clock instance the timer told us about, and its deadline. */
  readonly clockId: string | null;
  /** When the latest known instance started (the timer's math.startedAt). */
  readonly instanceStartedAt: string | null;
  readonly deadline: string | null;
  readonly ownerRepId: string | null;
  readonly warnedAt: string | null;
  readonly breachedAt: string | null;
  /** Whether the latest known instance (clockId) breached. */
  readonly latestInstanceBreached: boolean;
  readonly breaches: number;
  readonly escalations: number;
}

export type SlaOutcomes = { readonly [K in ClockKind]: ClockOutcome };

export interface OwnerChange {
  readonly eventId: string;
  readonly at: string;
  readonly repId: string;
  readonly teamId: string;
  readonly poolId: string;
  readonly ruleId: string | null;
  readonly reason: AssignmentReason;
  readonly reassignment: boolean;
  readonly previousRepId: string | null;
  readonly cause: string | null;
}

export interface TouchMilestone {
  readonly eventId: string;
  readonly at: string;
  readonly repId: string;
  readonly channel: Channel;
}

export interface StageChange {
  readonly eventId: string;
  readonly at: string;
  readonly from: FunnelStage | null;
  readonly to: FunnelStage;
  readonly by: string | null;
  readonly reason: string | null;
}

export interface DispositionEntry {
  readonly eventId: string;
  readonly at: string;
  readonly repId: string;
  readonly code: string;
  readonly reason: string | null;
  readonly nextStep: string | null;
  /** Set when the disposition service answered with DispositionRejected for this entry. */
  readonly rejectedAt: string | null;
  readonly problems: readonly string[];
}

export interface LeadRow {
  readonly leadId: string;
  readonly status: LeadStatus;
  readonly createdAt: string;
  readonly source: string;
  readonly segment: string;
  readonly territory: string;
  readonly tier: IntentTier;
  readonly vip: boolean;
  readonly channels: readonly Channel[];

  readonly acknowledgedAt: string | null;
  readonly coverageStart: string | null;
  readonly queuedAt: string | null;

  readonly assignedAt: string | null;
  readonly firstOwnerRepId: string | null;
  readonly firstOwnerTeamId: string | null;
  readonly currentRepId: string | null;
  readonly currentTeamId: string | null;
  readonly currentPoolId: string | null;
  readonly currentManagerId: string | null;
  /** When the current owner got the lead. */
  readonly currentAssignedAt: string | null;
  readonly owners: readonly OwnerChange[];
  readonly reassignmentCount: number;

  readonly firstTouch: TouchMilestone | null;
  readonly secondTouch: TouchMilestone | null;
  /** First owned touch of the current cycle (reset by re-qualification). */
  readonly cycleFirstTouchAt: string | null;
  /** Owned touches (by the owner at the time, personal, not automated, outbound). */
  readonly attempts: number;
  readonly attemptChannels: readonly Channel[];
  readonly lastAttemptAt: string | null;
  /** First connected/replied outcome or inbound touch. */
  readonly contactedAt: string | null;

  readonly acceptedAt: string | null;
  readonly acceptedBy: string | null;
  readonly rejectedAt: string | null;
  readonly rejectedBy: string | null;
  /** The policy's reject reason code (`uncoded` for a rejection made before codes); free text in rejectReason. */
  readonly rejectReasonCode: string | null;
  readonly rejectReason: string | null;

  readonly stage: FunnelStage;
  readonly highestStage: FunnelStage;
  readonly stageChanges: readonly StageChange[];
  readonly mqlAt: string | null;
  readonly salAt: string | null;
  readonly sqlAt: string | null;
  readonly opportunityAt: string | null;

  readonly dispositions: readonly DispositionEntry[];
  /** The latest disposition that was not rejected. */
  readonly disposition: DispositionEntry | null;

  readonly recycledAt: string | null;
  readonly lastRecycledAt: string | null;
  readonly recycleCount: number;
  readonly nurtureTrack: string | null;
  readonly requalifiedAt: string | null;
  readonly requalifyCount: number;
  /** First time the lead reached SQL (or beyond) after its first recycle. */
  readonly sqlAfterRecycleAt: string | null;
  readonly suppressedAt: string | null;
  readonly suppressionCause: 'disposition' | 'consent_withdrawn' | null;
  readonly consentWithdrawnAt: string | null;

  readonly bouncedChannels: readonly Channel[];
  readonly dataCleanupRequestedAt: string | null;

  readonly sla: SlaOutcomes;
  readonly breachCount: number;
  readonly escalationCount: number;

  readonly lastEventAt: string;
  readonly appliedEventIds: readonly string[];
}

const STAGE_ORDER: readonly FunnelStage[] = ['inquiry', 'mql', 'sal', 'sql', 'opportunity'];

export function stageRank(stage: FunnelStage): number {
  return STAGE_ORDER.indexOf(stage);
}

/** Reached a funnel stage or a later one; an accept or reject is a SAL decision on an MQL, an accept makes it SAL. */
export function reached(lead: LeadRow, stage: 'mql' | 'sal' | 'sql' | 'opportunity'): boolean {
  if (stageRank(lead.highestStage) >= stageRank(stage)) return true;
  if (stage === 'mql') return lead.acceptedAt !== null || lead.rejectedAt !== null;
  if (stage === 'sal') return lead.acceptedAt !== null;
  return false;
}

/** The disposition in force is complete: code, reason and next step (free text alone is not a disposition). */
export function complete(lead: LeadRow): boolean {
  const d = lead.disposition;
  return d !== null && d.code.trim() !== '' && (d.reason ?? '').trim() !== '' && (d.nextStep ?? '').trim() !== '';
}

/** The lead row an event belongs to, or null for facts about a rep. */
export function leadRowKeyOf(event: LeadEvent): string | null {
  return event.leadId;
}

const NOT_STARTED: ClockOutcome = {
  status: 'not_started',
  startedAt: null,
  stoppedAt: null,
  clockId: null,
  instanceStartedAt: null,
  deadline: null,
  ownerRepId: null,
  warnedAt: null,
  breachedAt: null,
  latestInstanceBreached: false,
  breaches: 0,
  escalations: 0,
};

function initialSla(): SlaOutcomes {
  const entries = ClockKind.options.map((k) => [k, NOT_STARTED] as const);
  return Object.fromEntries(entries) as Record<ClockKind, ClockOutcome>;
}

/**
 * Applies one event to a lead's row. Pure: returns a new row (or the same
 * row when the event changes nothing or was already applied). Events for a
 * lead whose LeadCreated was never seen are ignored: the log orders a
 * lead's events and LeadCreated comes first.
 */
export function evolveLeadRow(row: LeadRow | null, event: LeadEvent): LeadRow | null {
  if (event.leadId === null) return row;
  if (row !== null && (row.leadId !== event.leadId || row.appliedEventIds.includes(event.eventId))) return row;
  if (row === null) return event.type === 'LeadCreated' ? created(event) : null;
  const next = apply(row, event);
  if (next === row) return row;
  return { ...next, lastEventAt: event.occurredAt, appliedEventIds: [...row.appliedEventIds, event.eventId] };
}

function created(e: EventOf<'LeadCreated'>): LeadRow {
  const d = e.data;
  return {
    leadId: e.leadId ?? '',
    status: 'unassigned',
    createdAt: e.occurredAt,
    source: d.source,
    segment: d.segment,
    territory: d.territory,
    tier: d.intentTier,
    vip: d.vip,
    channels: [...d.channels],
    acknowledgedAt: null,
    coverageStart: null,
    queuedAt: null,
    assignedAt: null,
    firstOwnerRepId: null,
    firstOwnerTeamId: null,
    currentRepId: null,
    currentTeamId: null,
    currentPoolId: null,
    currentManagerId: null,
    currentAssignedAt: null,
    owners: [],
    reassignmentCount: 0,
    firstTouch: null,
    secondTouch: null,
    cycleFirstTouchAt: null,
    attempts: 0,
    attemptChannels: [],
    lastAttemptAt: null,
    contactedAt: null,
    acceptedAt: null,
    acceptedBy: null,
    rejectedAt: null,
    rejectedBy: null,
    rejectReasonCode: null,
    rejectReason: null,
    stage: 'inquiry',
    highestStage: 'inquiry',
    stageChanges: [],
    mqlAt: null,
    salAt: null,
    sqlAt: null,
    opportunityAt: null,
    dispositions: [],
    disposition: null,
    recycledAt: null,
    lastRecycledAt: null,
    recycleCount: 0,
    nurtureTrack: null,
    requalifiedAt: null,
    requalifyCount: 0,
    sqlAfterRecycleAt: null,
    suppressedAt: null,
    suppressionCause: null,
    consentWithdrawnAt: null,
    bouncedChannels: [],
    dataCleanupRequestedAt: null,
    sla: initialSla(),
    breachCount: 0,
    escalationCount: 0,
    lastEventAt: e.occurredAt,
    appliedEventIds: [e.eventId],
  };
}

function apply(row: LeadRow, event: LeadEvent): LeadRow {
  switch (event.type) {
    case 'LeadCreated':
      // A second LeadCreated for the same lead id (a resend with a new id) adds nothing.
      return row;
    case 'LeadAcknowledged':
      return { ...row, acknowledgedAt: row.acknowledgedAt ?? event.occurredAt, coverageStart: event.data.coverageStart };
    case 'LeadQueued':
      return {
        ...row,
        status: row.status === 'unassigned' ? 'queued' : row.status,
        queuedAt: row.queuedAt ?? event.occurredAt,
      };
    case 'LeadAssigned':
      return assigned(row, event);
    case 'LeadTouched':
      return touched(row, event);
    case 'SalDecisionRecorded':
      // The verdict, never the request: a refused accept/reject (SalDecisionRefused) changes no figure.
      return salDecided(row, event);
    case 'LeadAccepted':
    case 'LeadRejected':
    case 'SalDecisionRefused':
      return row;
    case 'LeadStageChanged':
      return stageChanged(row, event);
    case 'LeadDispositioned': {
      const entry: DispositionEntry = {
        eventId: event.eventId,
        at: event.occurredAt,
        repId: event.data.repId,
        code: event.data.code,
        reason: event.data.reason ?? null,
        nextStep: event.data.nextStep ?? null,
        rejectedAt: null,
        problems: [],
      };
      return withDispositions(row, [...row.dispositions, entry]);
    }
    case 'DispositionRejected': {
      const target = event.data.dispositionEventId;
      if (!row.dispositions.some((d) => d.eventId === target)) return row;
      const at = event.occurredAt;
      const problems = event.data.problems;
      return withDispositions(
        row,
        row.dispositions.map((d) => (d.eventId === target ? { ...d, rejectedAt: at, problems: [...problems] } : d)),
      );
    }
    case 'DispositionRecorded':
      // The disposition service accepted it; a closing code ends the owner's work (and the board row).
      if (!event.data.closes || row.status === 'recycled' || row.status === 'suppressed' || row.status === 'rejected') return row;
      return { ...row, status: 'closed' };
    case 'LeadRecycled':
      return {
        ...row,
        status: row.status === 'suppressed' ? row.status : 'recycled',
        recycledAt: row.recycledAt ?? event.occurredAt,
        lastRecycledAt: event.occurredAt,
        recycleCount: row.recycleCount + 1,
        nurtureTrack: event.data.nurtureTrack,
      };
    case 'LeadRequalified':
      return {
        ...row,
        status: row.status === 'suppressed' ? row.status : 'requalified',
        requalifiedAt: event.occurredAt,
        requalifyCount: row.requalifyCount + 1,
        nurtureTrack: null,
        cycleFirstTouchAt: null,
      };
    case 'LeadSuppressed':
      return {
        ...row,
        status: 'suppressed',
        suppressedAt: row.suppressedAt ?? event.occurredAt,
        suppressionCause: row.suppressionCause ?? event.data.cause,
      };
    case 'ConsentWithdrawn':
      return { ...row, consentWithdrawnAt: row.consentWithdrawnAt ?? event.occurredAt };
    case 'ContactBounced':
      return row.bouncedChannels.includes(event.data.channel)
        ? row
        : { ...row, bouncedChannels: [...row.bouncedChannels, event.data.channel] };
    case 'ContactFixed':
      return { ...row, bouncedChannels: row.bouncedChannels.filter((c) => c !== event.data.channel) };
    case 'DataCleanupRequested':
      return { ...row, dataCleanupRequestedAt: event.occurredAt };
    case 'SlaWarning':
      return {
        ...row,
        sla: onClockFact(row.sla, event.data, (o) => ({ ...o, warnedAt: o.warnedAt ?? event.occurredAt })),
      };
    case 'SlaBreached':
      return {
        ...row,
        breachCount: row.breachCount + 1,
        sla: onClockFact(row.sla, event.data, (o) => ({
          ...o,
          status: 'breached',
          breachedAt: o.breachedAt ?? event.occurredAt,
          latestInstanceBreached: true,
          breaches: o.breaches + 1,
        })),
      };
    case 'SlaEscalated':
      return {
        ...row,
        escalationCount: row.escalationCount + 1,
        sla: onClockFact(row.sla, event.data, (o) => ({ ...o, escalations: o.escalations + 1 })),
      };
    case 'SlaClockStarted':
      // The timer's word on a new instance: its deadline is known from the start (live countdowns).
      return {
        ...row,
        sla: onClockFact(row.sla, event.data, (o) => o),
      };
    case 'SlaClockStopped':
      return clockStopped(row, event);
    case 'RepAvailabilityChanged':
    case 'RepReinstated':
    case 'LeadReassignmentRequested':
    case 'RoutingWakeUp':
    case 'LeadInquiryRecorded':
    case 'RepRotationChanged':
    case 'PolicyPublished':
      return row;
    default:
      return assertNever(event, 'lead-row projection');
  }
}

/**
 * The timer says an instance stopped. `met` confirms the outcome (a breach
 * of an earlier instance still wins); `cancelled` (owner change, close-out)
 * says nothing about compliance. Only the latest known instance moves the
 * row, so a stale stop of an older instance cannot end the current one.
 */
function clockStopped(row: LeadRow, e: EventOf<'SlaClockStopped'>): LeadRow {
  const d = e.data;
  const o = row.sla[d.clock];
  if (d.outcome !== 'met' || (o.clockId !== null && o.clockId !== d.clockId)) return row;
  const next: ClockOutcome = {
    ...o,
    status: o.status === 'breached' ? 'breached' : 'met',
    stoppedAt: d.stoppedAt,
    clockId: d.clockId,
    deadline: o.deadline ?? d.deadline,
    ownerRepId: o.ownerRepId ?? d.ownerRepId,
  };
  return { ...row, sla: { ...row.sla, [d.clock]: next } };
}

function assigned(row: LeadRow, e: EventOf<'LeadAssigned'>): LeadRow {
  const d = e.data;
  const change: OwnerChange = {
    eventId: e.eventId,
    at: e.occurredAt,
    repId: d.repId,
    teamId: d.teamId,
    poolId: d.poolId,
    ruleId: d.ruleId,
    reason: d.reason,
    reassignment: d.reassignment,
    previousRepId: d.previousRepId,
    cause: d.reassignmentCause,
  };
  const closed = row.status === 'suppressed' || row.status === 'recycled' || row.status === 'rejected';
  const status: LeadStatus = closed ? row.status : row.cycleFirstTouchAt === null ? 'awaiting_first_touch' : 'working';
  return {
    ...row,
    status,
    assignedAt: row.assignedAt ?? e.occurredAt,
    firstOwnerRepId: row.firstOwnerRepId ?? d.repId,
    firstOwnerTeamId: row.firstOwnerTeamId ?? d.teamId,
    currentRepId: d.repId,
    currentTeamId: d.teamId,
    currentPoolId: d.poolId,
    currentManagerId: d.managerId,
    currentAssignedAt: e.occurredAt,
    owners: [...row.owners, change],
    reassignmentCount: row.reassignmentCount + (d.reassignment ? 1 : 0),
  };
}

function salDecided(row: LeadRow, event: EventOf<'SalDecisionRecorded'>): LeadRow {
  const d = event.data;
  if (d.decision === 'accepted') return { ...row, acceptedAt: row.acceptedAt ?? event.occurredAt, acceptedBy: row.acceptedBy ?? d.repId };
  return {
    ...row,
    status: row.status === 'suppressed' ? row.status : 'rejected',
    rejectedAt: event.occurredAt,
    rejectedBy: d.repId,
    rejectReasonCode: d.reasonCode,
    rejectReason: d.reason,
  };
}

function touched(row: LeadRow, e: EventOf<'LeadTouched'>): LeadRow {
  const d = e.data;
  const contact = d.direction === 'inbound' || d.outcome === 'connected' || d.outcome === 'replied';
  const contactedAt = contact ? earliest(row.contactedAt, e.occurredAt) : row.contactedAt;
  if (!isOwnedTouch(d, row.currentRepId)) return contactedAt === row.contactedAt ? row : { ...row, contactedAt };

  const milestone: TouchMilestone = { eventId: e.eventId, at: e.occurredAt, repId: d.repId, channel: d.channel };
  const firstTouch = row.firstTouch ?? milestone;
  const secondTouch = row.firstTouch !== null && row.secondTouch === null ? milestone : row.secondTouch;
  const status: LeadStatus = row.status === 'awaiting_first_touch' ? 'working' : row.status;
  return {
    ...row,
    status,
    firstTouch,
    secondTouch,
    cycleFirstTouchAt: row.cycleFirstTouchAt ?? e.occurredAt,
    attempts: row.attempts + 1,
    attemptChannels: row.attemptChannels.includes(d.channel) ? row.attemptChannels : [...row.attemptChannels, d.channel],
    lastAttemptAt: e.occurredAt,
    contactedAt,
  };
}

function stageChanged(row: LeadRow, e: EventOf<'LeadStageChanged'>): LeadRow {
  const d = e.data;
  const at = e.occurredAt;
  const change: StageChange = { eventId: e.eventId, at, from: d.from, to: d.to, by: d.by, reason: d.reason };
  // xAt is the first time the lead entered stage x or a later one.
  const reached = (s: FunnelStage, current: string | null): string | null =>
    current === null && stageRank(d.to) >= stageRank(s) ? at : current;
  const sqlReached = stageRank(d.to) >= stageRank('sql');
  return {
    ...row,
    stage: d.to,
    highestStage: stageRank(d.to) > stageRank(row.highestStage) ? d.to : row.highestStage,
    stageChanges: [...row.stageChanges, change],
    mqlAt: reached('mql', row.mqlAt),
    salAt: reached('sal', row.salAt),
    sqlAt: reached('sql', row.sqlAt),
    opportunityAt: reached('opportunity', row.opportunityAt),
    sqlAfterRecycleAt:
      row.recycledAt !== null && row.sqlAfterRecycleAt === null && sqlReached ? at : row.sqlAfterRecycleAt,
  };
}

function withDispositions(row: LeadRow, dispositions: readonly DispositionEntry[]): LeadRow {
  const applied = dispositions.filter((d) => d.rejectedAt === null);
  return { ...row, dispositions, disposition: applied.length > 0 ? applied[applied.length - 1] : null };
}


interface ClockFactData {
  readonly clockId: string;
  readonly clock: ClockKind;
  readonly ownerRepId: string | null;
  readonly math: { readonly deadline: string; readonly startedAt: string };
}

/**
 * A timer fact about one clock instance: the latest instance's deadline and
 * owner win. A fact about another instance means the timer started a new
 * one (e.g. for a new owner): it runs, so the clock is pending again unless
 * an earlier instance breached (a breach stays on the lead's record).
 */
function onClockFact(sla: SlaOutcomes, d: ClockFactData, update: (o: ClockOutcome) => ClockOutcome): SlaOutcomes {
  const o = sla[d.clock];
  const sameInstance = o.clockId === d.clockId;
  const base: ClockOutcome = {
    ...o,
    status: o.status === 'breached' ? 'breached' : sameInstance ? o.status : 'pending',
    stoppedAt: sameInstance ? o.stoppedAt : null,
    startedAt: o.startedAt ?? d.math.startedAt,
    clockId: d.clockId,
    instanceStartedAt: d.math.startedAt,
    deadline: d.math.deadline,
    ownerRepId: d.ownerRepId,
    warnedAt: sameInstance ? o.warnedAt : null,
    latestInstanceBreached: sameInstance ? o.latestInstanceBreached : false,
  };
  return { ...sla, [d.clock]: update(base) };
}

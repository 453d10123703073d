import { ClockKind } from '@lead-sla/contracts';
import { secondTouchOnAnotherChannel } from '@lead-sla/lead-lifecycle';
import type { AwaitingFirstTouchRow } from '../projections/awaiting-first-touch.projection';
import type { ClockInstanceRow } from '../projections/clock-instance.projection';
import type { BreachRow } from '../projections/breach-row.projection';
import { complete, reached, type LeadRow } from '../projections/lead-row.projection';
import type { RepRotationRow } from '../projections/rep-rotation.projection';
import { secondsBetween, utcDay } from '../projections/projection-time.util';

/**
 * How the pure read models are stored: the real columns BI tools filter and
 * aggregate on, derived from the row, plus (for the lead row) the whole row
 * as jsonb for the timeline. Pure: no database code here; the column lists
 * drive both the multi-row upserts and the rebuild's comparison.
 */

export type SqlType = 'text' | 'timestamptz' | 'date' | 'boolean' | 'integer' | 'double precision' | 'jsonb';
export type ColumnValue = string | number | boolean | null | object;
export interface Column {
  readonly name: string;
  readonly type: SqlType;
}

const clockColumn = (clock: ClockKind) => `sla_${clock}_status`;

export const LEAD_COLUMNS: readonly Column[] = [
  { name: 'lead_id', type: 'text' },
  { name: 'status', type: 'text' },
  { name: 'created_at', type: 'timestamptz' },
  { name: 'created_day', type: 'date' },
  { name: 'source', type: 'text' },
  { name: 'segment', type: 'text' },
  { name: 'territory', type: 'text' },
  { name: 'tier', type: 'text' },
  { name: 'vip', type: 'boolean' },
  { name: 'first_owner_rep_id', type: 'text' },
  { name: 'first_owner_team_id', type: 'text' },
  { name: 'current_rep_id', type: 'text' },
  { name: 'current_team_id', type: 'text' },
  { name: 'assigned_at', type: 'timestamptz' },
  { name: 'assignment_seconds', type: 'double precision' },
  { name: 'first_touch_at', type: 'timestamptz' },
  { name: 'first_touch_channel', type: 'text' },
  { name: 'second_touch_at', type: 'timestamptz' },
  { name: 'second_touch_channel', type: 'text' },
  { name: 'second_touch_same_channel', type: 'boolean' },
  { name: 'speed_to_lead_seconds', type: 'double precision' },
  { name: 'attempts', type: 'integer' },
  { name: 'contacted_at', type: 'timestamptz' },
  { name: 'reassignment_count', type: 'integer' },
  { name: 'accepted_at', type: 'timestamptz' },
  { name: 'rejected_at', type: 'timestamptz' },
  { name: 'reject_reason', type: 'text' },
  { name: 'reject_reason_code', type: 'text' },
  { name: 'stage', type: 'text' },
  { name: 'highest_stage', type: 'text' },
  { name: 'reached_mql', type: 'boolean' },
  { name: 'reached_sal', type: 'boolean' },
  { name: 'reached_sql', type: 'boolean' },
  { name: 'reached_opportunity', type: 'boolean' },
  { name: 'disposition_code', type: 'text' },
  { name: 'disposition_complete', type: 'boolean' },
  { name: 'recycled_at', type: 'timestamptz' },
  { name: 'recycle_count', type: 'integer' },
  { name: 'time_to_recycle_seconds', type: 'double precision' },
  { name: 'sql_after_recycle_at', type: 'timestamptz' },
  { name: 'requalified_at', type: 'timestamptz' },
  { name: 'suppressed_at', type: 'timestamptz' },
  { name: 'breach_count', type: 'integer' },
  { name: 'escalation_count', type: 'integer' },
  ...ClockKind.options.map((clock) => ({ name: clockColumn(clock), type: 'text' as const })),
  { name: 'first_touch_deadline', type: 'timestamptz' },
  { name: 'last_event_at', type: 'timestamptz' },
  { name: 'row', type: 'jsonb' },
];

export function leadColumnsOf(r: LeadRow): Record<string, ColumnValue> {
  const clocks = Object.fromEntries(ClockKind.options.map((clock) => [clockColumn(clock), r.sla[clock].status]));
  return {
    lead_id: r.leadId,
    status: r.status,
    created_at: r.createdAt,
    created_day: utcDay(r.createdAt),
    source: r.source,
    segment: r.segment,
    territory: r.territory,
    tier: r.tier,
    vip: r.vip,
    first_owner_rep_id: r.firstOwnerRepId,
    first_owner_team_id: r.firstOwnerTeamId,
    current_rep_id: r.currentRepId,
    current_team_id: r.currentTeamId,
    assigned_at: r.assignedAt,
    assignment_seconds: r.assignedAt === null ? null : secondsBetween(r.createdAt, r.assignedAt),
    first_touch_at: r.firstTouch?.at ?? null,
    first_touch_channel: r.firstTouch?.channel ?? null,
    second_touch_at: r.secondTouch?.at ?? null,
    second_touch_channel: r.secondTouch?.channel ?? null,
    // The policy's secondTouchChannel "prefer" flag: the second touch repeated the first's channel though the lead had another.
    second_touch_same_channel: r.firstTouch && r.secondTouch ? !secondTouchOnAnotherChannel(r.firstTouch.channel, r.secondTouch.channel, r.channels) : null,
    speed_to_lead_seconds: r.firstTouch === null ? null : secondsBetween(r.createdAt, r.firstTouch.at),
    attempts: r.attempts,
    contacted_at: r.contactedAt,
    reassignment_count: r.reassignmentCount,
    accepted_at: r.acceptedAt,
    rejected_at: r.rejectedAt,
    reject_reason: r.rejectReason,
    reject_reason_code: r.rejectReasonCode,
    stage: r.stage,
    highest_stage: r.highestStage,
    reached_mql: reached(r, 'mql'),
    reached_sal: reached(r, 'sal'),
    reached_sql: reached(r, 'sql'),
    reached_opportunity: reached(r, 'opportunity'),
    disposition_code: r.disposition?.code ?? null,
    disposition_complete: complete(r),
    recycled_at: r.recycledAt,
    recycle_count: r.recycleCount,
    time_to_recycle_seconds: r.recycledAt === null ? null : secondsBetween(r.createdAt, r.recycledAt),
    sql_after_recycle_at: r.sqlAfterRecycleAt,
    requalified_at: r.requalifiedAt,
    suppressed_at: r.suppressedAt,
    breach_count: r.breachCount,
    escalation_count: r.escalationCount,
    ...clocks,
    first_touch_deadline: r.sla.first_touch.deadline,
    last_event_at: r.lastEventAt,
    row: r,
  };
}

export const BREACH_COLUMNS: readonly Column[] = [
  { name: 'breach_key', type: 'text' },
  { name: 'kind', type: 'text' },
  { name: 'event_id', type: 'text' },
  { name: 'lead_id', type: 'text' },
  { name: 'clock_id', type: 'text' },
  { name: 'clock', type: 'text' },
  { name: 'tier', type: 'text' },
  { name: 'step', type: 'integer' },
  { name: 'action', type: 'text' },
  { name: 'last_step', type: 'boolean' },
  { name: 'owner_rep_id', type: 'text' },
  { name: 'team_id', type: 'text' },
  { name: 'manager_id', type: 'text' },
  { name: 'occurred_at', type: 'timestamptz' },
  { name: 'day', type: 'date' },
  { name: 'started_at', type: 'timestamptz' },
  { name: 'coverage_start', type: 'timestamptz' },
  { name: 'coverage_minutes', type: 'double precision' },
  { name: 'deadline', type: 'timestamptz' },
  { name: 'calendar_id', type: 'text' },
  { name: 'time_zone', type: 'text' },
  { name: 'seconds_after_deadline', type: 'double precision' },
  { name: 'policy_version', type: 'text' },
];

export function breachColumnsOf(b: BreachRow): Record<string, ColumnValue> {
  return {
    breach_key: b.breachKey,
    kind: b.kind,
    event_id: b.eventId,
    lead_id: b.leadId,
    clock_id: b.clockId,
    clock: b.clock,
    tier: b.tier,
    step: b.step,
    action: b.action,
    last_step: b.lastStep,
    owner_rep_id: b.ownerRepId,
    team_id: b.teamId,
    manager_id: b.managerId,
    occurred_at: b.occurredAt,
    day: b.day,
    started_at: b.startedAt,
    coverage_start: b.coverageStart,
    coverage_minutes: b.coverageMinutes,
    deadline: b.deadline,
    calendar_id: b.calendarId,
    time_zone: b.timeZone,
    seconds_after_deadline: b.secondsAfterDeadline,
    policy_version: b.policyVersion,
  };
}

export const BOARD_COLUMNS: readonly Column[] = [
  { name: 'lead_id', type: 'text' },
  { name: 'owner_rep_id', type: 'text' },
  { name: 'team_id', type: 'text' },
  { name: 'pool_id', type: 'text' },
  { name: 'manager_id', type: 'text' },
  { name: 'assigned_at', type: 'timestamptz' },
  { name: 'first_assigned_at', type: 'timestamptz' },
  { name: 'created_at', type: 'timestamptz' },
  { name: 'source', type: 'text' },
  { name: 'segment', type: 'text' },
  { name: 'territory', type: 'text' },
  { name: 'tier', type: 'text' },
  { name: 'vip', type: 'boolean' },
  { name: 'reassignment_count', type: 'integer' },
  { name: 'deadline', type: 'timestamptz' },
  { name: 'clock_id', type: 'text' },
  { name: 'warned_at', type: 'timestamptz' },
  { name: 'breached', type: 'boolean' },
];

export function boardColumnsOf(b: AwaitingFirstTouchRow): Record<string, ColumnValue> {
  return {
    lead_id: b.leadId,
    owner_rep_id: b.ownerRepId,
    team_id: b.teamId,
    pool_id: b.poolId,
    manager_id: b.managerId,
    assigned_at: b.assignedAt,
    first_assigned_at: b.firstAssignedAt,
    created_at: b.createdAt,
    source: b.source,
    segment: b.segment,
    territory: b.territory,
    tier: b.tier,
    vip: b.vip,
    reassignment_count: b.reassignmentCount,
    deadline: b.deadline,
    clock_id: b.clockId,
    warned_at: b.warnedAt,
    breached: b.breached,
  };
}

export const CLOCK_INSTANCE_COLUMNS: readonly Column[] = [
  { name: 'clock_id', type: 'text' },
  { name: 'lead_id', type: 'text' },
  { name: 'clock', type: 'text' },
  { name: 'tier', type: 'text' },
  { name: 'owner_rep_id', type: 'text' },
  { name: 'team_id', type: 'text' },
  { name: 'math', type: 'jsonb' },
  { name: 'deadline', type: 'timestamptz' },
  { name: 'warned_at', type: 'timestamptz' },
  { name: 'breached_at', type: 'timestamptz' },
  { name: 'escalation_steps', type: 'integer' },
  { name: 'outcome', type: 'text' },
  { name: 'stopped_at', type: 'timestamptz' },
  { name: 'policy_version', type: 'text' },
];

export function clockInstanceColumnsOf(c: ClockInstanceRow): Record<string, ColumnValue> {
  return {
    clock_id: c.clockId,
    lead_id: c.leadId,
    clock: c.clock,
    tier: c.tier,
    owner_rep_id: c.ownerRepId,
    team_id: c.teamId,
    math: c.math,
    deadline: c.deadline,
    warned_at: c.warnedAt,
    breached_at: c.breachedAt,
    escalation_steps: c.escalationSteps,
    outcome: c.outcome,
    stopped_at: c.stoppedAt,
    policy_version: c.policyVersion,
  };
}

/** The stored clock instance back as the pure row (timestamps as ISO strings). */
export function clockInstanceFromColumns(r: Record<string, unknown>): ClockInstanceRow {
  const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string).toISOString());
  return {
    clockId: r.clock_id as string,
    leadId: r.lead_id as string,
    clock: r.clock as ClockInstanceRow['clock'],
    tier: (r.tier as string | null) ?? null,
    ownerRepId: (r.owner_rep_id as string | null) ?? null,
    teamId: (r.team_id as string | null) ?? null,
    math: (r.math as ClockInstanceRow['math']) ?? null,
    deadline: iso(r.deadline) ?? '',
    warnedAt: iso(r.warned_at),
    breachedAt: iso(r.breached_at),
    escalationSteps: Number(r.escalation_steps),
    outcome: (r.outcome as ClockInstanceRow['outcome']) ?? null,
    stoppedAt: iso(r.stopped_at),
    policyVersion: r.policy_version as string,
  };
}

export const REP_ROTATION_COLUMNS: readonly Column[] = [
  { name: 'rep_id', type: 'text' },
  { name: 'in_rotation', type: 'boolean' },
  { name: 'since', type: 'timestamptz' },
  { name: 'cause', type: 'text' },
  { name: 'misses', type: 'jsonb' },
  { name: 'changed_by', type: 'text' },
  { name: 'event_id', type: 'text' },
  { name: 'policy_version', type: 'text' },
];

export function repRotationColumnsOf(r: RepRotationRow): Record<string, ColumnValue> {
  return {
    rep_id: r.repId,
    in_rotation: r.inRotation,
    since: r.since,
    cause: r.cause,
    misses: r.misses,
    changed_by: r.changedBy,
    event_id: r.eventId,
    policy_version: r.policyVersion,
  };
}

/** The stored rotation row back as the pure row (timestamps as ISO strings). */
export function repRotationFromColumns(r: Record<string, unknown>): RepRotationRow {
  return {
    repId: r.rep_id as string,
    inRotation: r.in_rotation as boolean,
    since: new Date(r.since as string).toISOString(),
    cause: r.cause as RepRotationRow['cause'],
    misses: r.misses as RepRotationRow['misses'],
    changedBy: (r.changed_by as string | null) ?? null,
    eventId: r.event_id as string,
    policyVersion: r.policy_version as string,
  };
}

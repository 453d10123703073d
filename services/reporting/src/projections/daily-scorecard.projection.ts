import { ClockKind } from '@lead-sla/contracts';
import { stageRank, type LeadRow } from './lead-row.projection';
import { assertNever, secondsBetween, utcDay } from './projection-time.util';

/**
 * Daily scorecards per rep, team, source and segment, as a pure aggregation
 * of lead rows rather than a fold of their own.
 *
 * Why: a scorecard figure about a lead changes for weeks after the lead
 * arrives (a late first touch, a breach, a stage change, a recycle), so an
 * incremental counter would have to undo the lead's old contribution
 * exactly, and dedupe on its own. The lead row is already exact and
 * idempotent; recomputing the few scorecards a changed lead belongs to
 * (`scorecardCellsOf`) from the lead rows of that cell keeps the figures
 * exact and replayable, and the same definitions are easy to state in SQL.
 *
 * Cohort: a lead counts on the UTC date of its creation (`createdAt`), in
 * the cell of its first owner (rep, team), its source and its segment.
 * Every figure below is about that cohort, whenever the later facts came.
 */
export type ScorecardDimension = 'rep' | 'team' | 'source' | 'segment';

export const SCORECARD_DIMENSIONS: readonly ScorecardDimension[] = ['rep', 'team', 'source', 'segment'];

export interface ClockCompliance {
  readonly met: number;
  readonly breached: number;
  readonly pending: number;
  /** met / (met + breached); null when neither happened. */
  readonly complianceRate: number | null;
}

export interface DailyScorecardRow {
  readonly dimension: ScorecardDimension;
  readonly key: string;
  /** UTC date (YYYY-MM-DD) of the leads' creation. */
  readonly day: string;
  readonly leads: number;

  readonly assigned: number;
  readonly assignmentSecondsSum: number;
  readonly assignmentSecondsAvg: number | null;

  /** Created → first owned touch, in seconds, ascending: the exact list behind median and p90. */
  readonly speedToLeadSeconds: readonly number[];
  readonly speedToLeadMedianSeconds: number | null;
  readonly speedToLeadP90Seconds: number | null;

  readonly contacted: number;
  readonly contactRate: number | null;
  readonly attempts: number;
  readonly attemptsPerLead: number | null;

  readonly compliance: { readonly [K in ClockKind]: ClockCompliance };
  readonly breaches: number;
  /** Reassignments (fallbacks triggered) and the leads that had at least one. */
  readonly fallbacks: number;
  readonly leadsWithFallback: number;

  readonly reachedMql: number;
  readonly reachedSal: number;
  readonly reachedSql: number;
  readonly reachedOpportunity: number;
  readonly mqlToSalRate: number | null;
  readonly salToSqlRate: number | null;
  readonly sqlToOpportunityRate: number | null;
  readonly rejected: number;
  readonly rejectReasons: Readonly<Record<string, number>>;

  readonly dispositioned: number;
  readonly dispositionsComplete: number;
  readonly dispositionCompleteness: number | null;

  readonly recycled: number;
  readonly recycleRate: number | null;
  readonly recycledToSql: number;
  readonly recycleToSqlRate: number | null;
  readonly timeToRecycleSecondsSum: number;
  readonly timeToRecycleSecondsAvg: number | null;
}

/** The cell a lead belongs to on a dimension, or null (e.g. never assigned, for rep and team). */
export function dimensionKeyOf(lead: LeadRow, dimension: ScorecardDimension): string | null {
  switch (dimension) {
    case 'rep':
      return lead.firstOwnerRepId;
    case 'team':
      return lead.firstOwnerTeamId;
    case 'source':
      return lead.source;
    case 'segment':
      return lead.segment;
    default:
      return assertNever(dimension);
  }
}

export interface ScorecardCell {
  readonly dimension: ScorecardDimension;
  readonly key: string;
  readonly day: string;
}

/** The scorecards to recompute after this lead row changed. */
export function scorecardCellsOf(lead: LeadRow): ScorecardCell[] {
  const day = utcDay(lead.createdAt);
  return SCORECARD_DIMENSIONS.flatMap((dimension) => {
    const key = dimensionKeyOf(lead, dimension);
    return key === null ? [] : [{ dimension, key, day }];
  });
}

/**
 * The discrete percentile (Postgres `percentile_disc`): the smallest value
 * whose cumulative share reaches p. Exact, always one of the values.
 */
export function percentileDisc(sortedAscending: readonly number[], p: number): number | null {
  if (sortedAscending.length === 0) return null;
  const index = Math.max(0, Math.ceil(p * sortedAscending.length) - 1);
  return sortedAscending[index];
}

function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

export function reached(lead: LeadRow, stage: 'mql' | 'sal' | 'sql' | 'opportunity'): boolean {
  if (stageRank(lead.highestStage) >= stageRank(stage)) return true;
  // An accept or reject is a SAL decision on an MQL; an accept makes it SAL.
  if (stage === 'mql') return lead.acceptedAt !== null || lead.rejectedAt !== null;
  if (stage === 'sal') return lead.acceptedAt !== null;
  return false;
}

export function complete(lead: LeadRow): boolean {
  const d = lead.disposition;
  return d !== null && d.code.trim() !== '' && (d.reason ?? '').trim() !== '' && (d.nextStep ?? '').trim() !== '';
}

/** The scorecard of one cell, from the lead rows (rows outside the cell are ignored). */
export function scorecardFromLeadRows(
  rows: readonly LeadRow[],
  dimension: ScorecardDimension,
  key: string,
  day: string,
): DailyScorecardRow {
  const leads = rows.filter((r) => dimensionKeyOf(r, dimension) === key && utcDay(r.createdAt) === day);
  const n = leads.length;
  const count = (p: (r: LeadRow) => boolean) => leads.filter(p).length;
  const sum = (f: (r: LeadRow) => number) => leads.reduce((s, r) => s + f(r), 0);

  const assignment = leads.flatMap((r) => (r.assignedAt === null ? [] : [secondsBetween(r.createdAt, r.assignedAt)]));
  const speed = leads
    .flatMap((r) => (r.firstTouch === null ? [] : [secondsBetween(r.createdAt, r.firstTouch.at)]))
    .sort((a, b) => a - b);
  const recycle = leads.flatMap((r) => (r.recycledAt === null ? [] : [secondsBetween(r.createdAt, r.recycledAt)]));
  const attempts = sum((r) => r.attempts);
  const assignmentSum = assignment.reduce((s, x) => s + x, 0);
  const recycleSum = recycle.reduce((s, x) => s + x, 0);

  const compliance = Object.fromEntries(
    ClockKind.options.map((clock) => {
      const met = count((r) => r.sla[clock].status === 'met');
      const breached = count((r) => r.sla[clock].status === 'breached');
      const pending = count((r) => r.sla[clock].status === 'pending');
      return [clock, { met, breached, pending, complianceRate: ratio(met, met + breached) }];
    }),
  ) as Record<ClockKind, ClockCompliance>;

  const rejectReasons: Record<string, number> = {};
  for (const r of leads) {
    if (r.rejectReason !== null) rejectReasons[r.rejectReason] = (rejectReasons[r.rejectReason] ?? 0) + 1;
  }

  const reachedMql = count((r) => reached(r, 'mql'));
  const reachedSal = count((r) => reached(r, 'sal'));
  const reachedSql = count((r) => reached(r, 'sql'));
  const reachedOpportunity = count((r) => reached(r, 'opportunity'));
  const contacted = count((r) => r.contactedAt !== null);
  const dispositioned = count((r) => r.disposition !== null);
  const dispositionsComplete = count(complete);
  const recycledToSql = count((r) => r.sqlAfterRecycleAt !== null);

  return {
    dimension,
    key,
    day,
    leads: n,
    assigned: assignment.length,
    assignmentSecondsSum: assignmentSum,
    assignmentSecondsAvg: ratio(assignmentSum, assignment.length),
    speedToLeadSeconds: speed,
    speedToLeadMedianSeconds: percentileDisc(speed, 0.5),
    speedToLeadP90Seconds: percentileDisc(speed, 0.9),
    contacted,
    contactRate: ratio(contacted, n),
    attempts,
    attemptsPerLead: ratio(attempts, n),
    compliance,
    breaches: sum((r) => r.breachCount),
    fallbacks: sum((r) => r.reassignmentCount),
    leadsWithFallback: count((r) => r.reassignmentCount > 0),
    reachedMql,
    reachedSal,
    reachedSql,
    reachedOpportunity,
    mqlToSalRate: ratio(count((r) => reached(r, 'mql') && reached(r, 'sal')), reachedMql),
    salToSqlRate: ratio(count((r) => reached(r, 'sal') && reached(r, 'sql')), reachedSal),
    sqlToOpportunityRate: ratio(count((r) => reached(r, 'sql') && reached(r, 'opportunity')), reachedSql),
    rejected: count((r) => r.rejectedAt !== null),
    rejectReasons,
    dispositioned,
    dispositionsComplete,
    dispositionCompleteness: ratio(dispositionsComplete, dispositioned),
    recycled: recycle.length,
    recycleRate: ratio(recycle.length, n),
    recycledToSql,
    recycleToSqlRate: ratio(recycledToSql, recycle.length),
    timeToRecycleSecondsSum: recycleSum,
    timeToRecycleSecondsAvg: ratio(recycleSum, recycle.length),
  };
}

/** Every scorecard of a dimension present in the rows, ordered by key then day. */
export function dailyScorecards(rows: readonly LeadRow[], dimension: ScorecardDimension): DailyScorecardRow[] {
  const cells = new Map<string, ScorecardCell>();
  for (const row of rows) {
    for (const cell of scorecardCellsOf(row)) {
      if (cell.dimension === dimension) cells.set(`${cell.key}\u0000${cell.day}`, cell);
    }
  }
  return [...cells.values()]
    .sort((a, b) => (a.key === b.key ? a.day.localeCompare(b.day) : a.key.localeCompare(b.key)))
    .map((c) => scorecardFromLeadRows(rows, dimension, c.key, c.day));
}

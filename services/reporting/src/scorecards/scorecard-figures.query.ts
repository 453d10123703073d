import { ClockKind } from '@lead-sla/contracts';

/**
 * The one definition of every scorecard figure, SLA compliance % included,
 * as SQL aggregates over a set of lead rows. Both readers use it: the HTTP
 * scorecards (any period, `ReportingQueries.scorecards`) and the daily view
 * `reporting.daily_scorecard` behind `bi.scorecard_daily_v1`, which the
 * initial migration creates from `dailyScorecardSelect`. Changing a figure
 * therefore takes a new migration that recreates that view (and, for BI, a
 * new `_v2` view: docs/bi-contract.md).
 *
 * Cohort: a lead counts on the UTC day it was created (`created_day`), in
 * the cell of its first owner (rep, team), its source and its segment.
 * Rates are fractions (0..1), null when the denominator is 0. Median and
 * p90 are `percentile_disc`: always one of the values, exact on replay.
 */
export type Dimension = 'rep' | 'team' | 'source' | 'segment';
export const DIMENSIONS: readonly Dimension[] = ['rep', 'team', 'source', 'segment'];

/** The lead-row column a dimension's key is (rep and team: the first owner's, whose SLA it was). */
export const DIMENSION_COLUMN: Readonly<Record<Dimension, string>> = {
  rep: 'first_owner_rep_id',
  team: 'first_owner_team_id',
  source: 'source',
  segment: 'segment',
};

/** SLA compliance of a clock: met / (met + breached); a pending clock counts in neither. */
/**
 * The clocks a scorecard reports: the sales SLA clocks. data_cleanup is the
 * data desk's time, not a rep's SLA (its status is on the lead row), and the
 * scorecard view of migration 1764000000300 is built from this list, so it
 * must only name columns that migration created.
 */
export const SCORECARD_CLOCKS: readonly ClockKind[] = ClockKind.options.filter((c) => c !== 'data_cleanup');

const clockFigures = (c: ClockKind) => `
  count(*) FILTER (WHERE sla_${c}_status = 'met')::int AS ${c}_met,
  count(*) FILTER (WHERE sla_${c}_status = 'breached')::int AS ${c}_breached,
  count(*) FILTER (WHERE sla_${c}_status = 'pending')::int AS ${c}_pending,
  (count(*) FILTER (WHERE sla_${c}_status = 'met'))::double precision
    / NULLIF(count(*) FILTER (WHERE sla_${c}_status IN ('met', 'breached')), 0) AS ${c}_compliance_rate`;

/** The figures, as a select list over lead rows (the columns of reporting.lead_rows). */
export const SCORECARD_FIGURES = `
  count(*)::int AS leads,
  count(assigned_at)::int AS assigned,
  avg(assignment_seconds) AS assignment_seconds_avg,
  percentile_disc(0.5) WITHIN GROUP (ORDER BY speed_to_lead_seconds) AS speed_to_lead_median_seconds,
  percentile_disc(0.9) WITHIN GROUP (ORDER BY speed_to_lead_seconds) AS speed_to_lead_p90_seconds,
  count(speed_to_lead_seconds)::int AS first_touched,
  count(contacted_at)::int AS contacted,
  count(contacted_at)::double precision / count(*) AS contact_rate,
  sum(attempts)::int AS attempts,
  sum(attempts)::double precision / count(*) AS attempts_per_lead,${SCORECARD_CLOCKS.map(clockFigures).join(',')},
  sum(breach_count)::int AS breaches,
  sum(escalation_count)::int AS escalations,
  sum(reassignment_count)::int AS fallbacks,
  count(*) FILTER (WHERE reassignment_count > 0)::int AS leads_with_fallback,
  count(*) FILTER (WHERE reached_mql)::int AS reached_mql,
  count(*) FILTER (WHERE reached_sal)::int AS reached_sal,
  count(*) FILTER (WHERE reached_sql)::int AS reached_sql,
  count(*) FILTER (WHERE reached_opportunity)::int AS reached_opportunity,
  (count(*) FILTER (WHERE reached_mql AND reached_sal))::double precision / NULLIF(count(*) FILTER (WHERE reached_mql), 0) AS mql_to_sal_rate,
  (count(*) FILTER (WHERE reached_sal AND reached_sql))::double precision / NULLIF(count(*) FILTER (WHERE reached_sal), 0) AS sal_to_sql_rate,
  (count(*) FILTER (WHERE reached_sql AND reached_opportunity))::double precision / NULLIF(count(*) FILTER (WHERE reached_sql), 0) AS sql_to_opportunity_rate,
  count(rejected_at)::int AS rejected,
  count(disposition_code)::int AS dispositioned,
  count(*) FILTER (WHERE disposition_complete)::int AS dispositions_complete,
  (count(*) FILTER (WHERE disposition_complete))::double precision / NULLIF(count(disposition_code), 0) AS disposition_completeness,
  count(recycled_at)::int AS recycled,
  count(recycled_at)::double precision / count(*) AS recycle_rate,
  count(sql_after_recycle_at)::int AS recycled_to_sql,
  count(sql_after_recycle_at)::double precision / NULLIF(count(recycled_at), 0) AS recycle_to_sql_rate,
  avg(time_to_recycle_seconds) AS time_to_recycle_seconds_avg`;

/** The daily scorecards of every dimension (the view BI reads): one row per dimension, key and creation day. */
export function dailyScorecardSelect(schema: string): string {
  const cells = DIMENSIONS.map(
    (d) => `SELECT '${d}'::text AS dimension, ${DIMENSION_COLUMN[d]} AS key, l.* FROM "${schema}".lead_rows l WHERE ${DIMENSION_COLUMN[d]} IS NOT NULL`,
  ).join('\n  UNION ALL ');
  return `SELECT dimension, key, created_day AS day, ${SCORECARD_FIGURES}
  FROM (${cells}) cells
  GROUP BY dimension, key, created_day`;
}

export interface LeadFilters {
  readonly rep?: string;
  readonly team?: string;
  readonly source?: string;
  readonly segment?: string;
}

export interface ScorecardQuery {
  readonly dimension: Dimension;
  /** Creation days, inclusive (YYYY-MM-DD). */
  readonly from: string;
  readonly to: string;
  /** One row per key over the whole period, or per key and day. */
  readonly groupBy: 'period' | 'day';
  readonly key?: string;
  readonly filters: LeadFilters;
  readonly limit: number;
  readonly offset: number;
}

/** The scorecards of a period (exact percentiles over the period's leads), one more row than `limit` to tell whether there are more. */
export function scorecardSql(schema: string, q: ScorecardQuery): { sql: string; params: unknown[] } {
  const col = DIMENSION_COLUMN[q.dimension];
  const params: unknown[] = [q.from, q.to];
  const where = [`${col} IS NOT NULL`, 'created_day BETWEEN $1::date AND $2::date'];
  const add = (column: string, v: string | undefined) => {
    if (v === undefined) return;
    params.push(v);
    where.push(`${column} = $${params.length}`);
  };
  add(col, q.key);
  for (const d of DIMENSIONS) add(DIMENSION_COLUMN[d], q.filters[d]);
  const byDay = q.groupBy === 'day';
  params.push(q.limit + 1, q.offset);
  const group = `${col}${byDay ? ', created_day' : ''}`;
  return {
    sql: `SELECT ${col} AS key${byDay ? ', created_day::text AS day' : ''}, ${SCORECARD_FIGURES}
       FROM "${schema}".lead_rows WHERE ${where.join(' AND ')}
       GROUP BY ${group} ORDER BY ${group}
       LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  };
}

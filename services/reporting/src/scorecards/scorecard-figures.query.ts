import type { ClockKind } from '@lead-sla/contracts';
import { SCORECARD_CLOCKS } from '../projections/scorecard-cells.projection';
import { DIMENSIONS, type Dimension, type LeadFilters, type ScorecardQuery } from './scorecard-cells.query';

/**
 * The REFERENCE definition of the scorecard figures: SQL aggregates over
 * the lead rows (a GROUP BY at read time). The service no longer reads
 * scorecards this way — scorecards/scorecard-cells.query.ts sums the daily
 * cells the projection keeps. This module stays for two readers only:
 * - the property test (scorecard-cells.int-spec.ts), which checks that the
 *   cells give exactly these figures after random streams and rebuilds;
 * - migrations 1764000000300 and 1764000000390, which created
 *   `reporting.daily_scorecard` from it before 1764000000420 replaced the
 *   view with one over the cells (a migration keeps its import).
 *
 * Cohort: a lead counts on the UTC day it was created (`created_day`), in
 * the cell of its first owner (rep, team), its source and its segment;
 * on rep and team cards its breaches, escalations and fallbacks count for
 * whoever held it then (see HELD).
 * Rates are fractions (0..1), null when the denominator is 0. Median and
 * p90 are `percentile_disc`: always one of the values, exact on replay.
 */
export { DIMENSIONS, type Dimension, type LeadFilters, type ScorecardQuery };

/** The lead-row column a dimension's key is (rep and team: the first owner's, whose SLA it was). */
export const DIMENSION_COLUMN: Readonly<Record<Dimension, string>> = {
  rep: 'first_owner_rep_id',
  team: 'first_owner_team_id',
  source: 'source',
  segment: 'segment',
};

// The clocks a scorecard reports: the one list the cells projection keeps (data_cleanup is the data desk's time).
export { SCORECARD_CLOCKS };

/** A figure: its column, its aggregate over lead rows, and whether it is a count (0, not null, on a card without it). */
type Figure = readonly [name: string, expression: string, count: boolean];

/** SLA compliance of a clock: met / (met + breached); a pending clock counts in neither. */
const clockFigures = (c: ClockKind): Figure[] => [
  [`${c}_met`, `count(*) FILTER (WHERE sla_${c}_status = 'met')::int`, true],
  [`${c}_breached`, `count(*) FILTER (WHERE sla_${c}_status = 'breached')::int`, true],
  [`${c}_pending`, `count(*) FILTER (WHERE sla_${c}_status = 'pending')::int`, true],
  [
    `${c}_compliance_rate`,
    `(count(*) FILTER (WHERE sla_${c}_status = 'met'))::double precision
    / NULLIF(count(*) FILTER (WHERE sla_${c}_status IN ('met', 'breached')), 0)`,
    false,
  ],
];

/** Every figure in the order of the view's columns (bi.scorecard_daily_v1 keeps this order). */
const FIGURES: readonly Figure[] = [
  ['leads', 'count(*)::int', true],
  ['assigned', 'count(assigned_at)::int', true],
  ['assignment_seconds_avg', 'avg(assignment_seconds)', false],
  ['speed_to_lead_median_seconds', 'percentile_disc(0.5) WITHIN GROUP (ORDER BY speed_to_lead_seconds)', false],
  ['speed_to_lead_p90_seconds', 'percentile_disc(0.9) WITHIN GROUP (ORDER BY speed_to_lead_seconds)', false],
  ['first_touched', 'count(speed_to_lead_seconds)::int', true],
  ['contacted', 'count(contacted_at)::int', true],
  ['contact_rate', 'count(contacted_at)::double precision / count(*)', false],
  ['attempts', 'sum(attempts)::int', false],
  ['attempts_per_lead', 'sum(attempts)::double precision / count(*)', false],
  ...SCORECARD_CLOCKS.flatMap(clockFigures),
  ['breaches', 'sum(breach_count)::int', false],
  ['escalations', 'sum(escalation_count)::int', false],
  ['fallbacks', 'sum(reassignment_count)::int', false],
  ['leads_with_fallback', 'count(*) FILTER (WHERE reassignment_count > 0)::int', true],
  ['reached_mql', 'count(*) FILTER (WHERE reached_mql)::int', true],
  ['reached_sal', 'count(*) FILTER (WHERE reached_sal)::int', true],
  ['reached_sql', 'count(*) FILTER (WHERE reached_sql)::int', true],
  ['reached_opportunity', 'count(*) FILTER (WHERE reached_opportunity)::int', true],
  ['mql_to_sal_rate', '(count(*) FILTER (WHERE reached_mql AND reached_sal))::double precision / NULLIF(count(*) FILTER (WHERE reached_mql), 0)', false],
  ['sal_to_sql_rate', '(count(*) FILTER (WHERE reached_sal AND reached_sql))::double precision / NULLIF(count(*) FILTER (WHERE reached_sal), 0)', false],
  ['sql_to_opportunity_rate', '(count(*) FILTER (WHERE reached_sql AND reached_opportunity))::double precision / NULLIF(count(*) FILTER (WHERE reached_sql), 0)', false],
  ['rejected', 'count(rejected_at)::int', true],
  ['dispositioned', 'count(disposition_code)::int', true],
  ['dispositions_complete', 'count(*) FILTER (WHERE disposition_complete)::int', true],
  ['disposition_completeness', '(count(*) FILTER (WHERE disposition_complete))::double precision / NULLIF(count(disposition_code), 0)', false],
  ['recycled', 'count(recycled_at)::int', true],
  ['recycle_rate', 'count(recycled_at)::double precision / count(*)', false],
  ['recycled_to_sql', 'count(sql_after_recycle_at)::int', true],
  ['recycle_to_sql_rate', 'count(sql_after_recycle_at)::double precision / NULLIF(count(recycled_at), 0)', false],
  ['time_to_recycle_seconds_avg', 'avg(time_to_recycle_seconds)', false],
];

/** The figures, as a select list over lead rows (the columns of reporting.lead_rows): the source and segment cards. */
export const SCORECARD_FIGURES = FIGURES.map(([n, e]) => `${e} AS ${n}`).join(',\n  ');

/**
 * On rep and team cards, the breach, escalation and fallback figures belong
 * to whoever held the lead when it happened (DOMAIN.md: fair blame), not to
 * the first owner: a breach to the SlaBreached event's owner and team, an
 * escalation step to the SlaEscalated event's, a fallback (reassignment) to
 * the rep who lost the lead and that rep's team at the time. They still
 * count on the lead's creation day, the cohort of the card.
 */
const HELD: ReadonlySet<string> = new Set([
  ...SCORECARD_CLOCKS.map((c) => `${c}_breached`),
  'breaches',
  'escalations',
  'fallbacks',
  'leads_with_fallback',
]);

/** The breach and escalation figures of breach rows `b`, by holder. */
const BREACH_FIGURES = [
  ...SCORECARD_CLOCKS.map((c) => `count(DISTINCT b.lead_id) FILTER (WHERE b.kind = 'breach' AND b.clock = '${c}')::int AS ${c}_breached`),
  `count(*) FILTER (WHERE b.kind = 'breach')::int AS breaches`,
  `count(*) FILTER (WHERE b.kind = 'escalation')::int AS escalations`,
].join(',\n    ');

/** Each reassignment of a lead row `l` with the rep who lost the lead and that rep's team when it had the lead. */
const LOST_OWNERS = `CROSS JOIN LATERAL (
      SELECT cur.value->>'previousRepId' AS rep,
        (SELECT prev.value->>'teamId' FROM jsonb_array_elements(l.row->'owners') WITH ORDINALITY prev(value, n)
          WHERE prev.n < cur.n AND prev.value->>'repId' = cur.value->>'previousRepId' ORDER BY prev.n DESC LIMIT 1) AS team
      FROM jsonb_array_elements(l.row->'owners') WITH ORDINALITY cur(value, n)
      WHERE (cur.value->>'reassignment')::boolean) lost`;

interface Cells {
  readonly schema: string;
  readonly dimension: Dimension;
  /** Conditions on the lead row `l` (filters, period). */
  readonly where: readonly string[];
  /** Group by creation day too. */
  readonly byDay: boolean;
  /** The query parameter (e.g. `$3`) of the one key to compute, if any: filtered inside, before aggregating. */
  readonly keyParam?: string;
}

/** One row per key (and creation day) with every figure, as `key`, `day` (when byDay) and the figure columns. */
function cellsSql(c: Cells): string {
  const lead = `"${c.schema}".lead_rows`;
  const dayCol = (alias: string) => (c.byDay ? `, ${alias}.created_day AS day` : '');
  const group = (key: string, alias: string) => `GROUP BY ${key}${c.byDay ? `, ${alias}.created_day` : ''}`;
  const col = DIMENSION_COLUMN[c.dimension];
  const only = (key: string) => (c.keyParam === undefined ? '' : ` AND ${key} = ${c.keyParam}`);
  const cohortWhere = `l.${col} IS NOT NULL${only(`l.${col}`)}${c.where.map((w) => ` AND ${w}`).join('')}`;
  if (c.dimension !== 'rep' && c.dimension !== 'team') {
    return `SELECT l.${col} AS key${dayCol('l')}, ${SCORECARD_FIGURES} FROM ${lead} l WHERE ${cohortWhere} ${group(`l.${col}`, 'l')}`;
  }
  const holder = c.dimension === 'rep' ? { breach: 'b.owner_rep_id', lost: 'lost.rep' } : { breach: 'b.team_id', lost: 'lost.team' };
  const leadWhere = c.where.length === 0 ? '' : ` AND ${c.where.join(' AND ')}`;
  const join = (name: string) => `${name}.key = cohort.key${c.byDay ? ` AND ${name}.day = cohort.day` : ''}`;
  const key = 'coalesce(cohort.key, breach.key, lost.key)';
  const keyAndDay = `${key} AS key${c.byDay ? ', coalesce(cohort.day, breach.day, lost.day) AS day' : ''}`;
  const rate = (clock: ClockKind) =>
    `coalesce(cohort.${clock}_met, 0)::double precision / NULLIF(coalesce(cohort.${clock}_met, 0) + coalesce(breach.${clock}_breached, 0), 0) AS ${clock}_compliance_rate`;
  const column = ([n, , count]: Figure): string => {
    const rated = SCORECARD_CLOCKS.find((k) => n === `${k}_compliance_rate`);
    if (rated) return rate(rated);
    const from = n === 'fallbacks' || n === 'leads_with_fallback' ? 'lost' : HELD.has(n) ? 'breach' : 'cohort';
    return count || from !== 'cohort' ? `coalesce(${from}.${n}, 0)::int AS ${n}` : `${from}.${n}`;
  };
  return `SELECT ${keyAndDay}, ${FIGURES.map(column).join(', ')}
    FROM (SELECT l.${col} AS key${dayCol('l')}, ${SCORECARD_FIGURES} FROM ${lead} l WHERE ${cohortWhere} ${group(`l.${col}`, 'l')}) cohort
    FULL JOIN (SELECT ${holder.breach} AS key${dayCol('l')}, ${BREACH_FIGURES}
      FROM "${c.schema}".breach_rows b JOIN ${lead} l ON l.lead_id = b.lead_id
      WHERE ${holder.breach} IS NOT NULL${only(holder.breach)}${leadWhere} ${group(holder.breach, 'l')}) breach ON ${join('breach')}
    FULL JOIN (SELECT ${holder.lost} AS key${dayCol('l')}, count(*)::int AS fallbacks, count(DISTINCT l.lead_id)::int AS leads_with_fallback
      FROM ${lead} l ${LOST_OWNERS}
      WHERE l.reassignment_count > 0 AND ${holder.lost} IS NOT NULL${only(holder.lost)}${leadWhere} ${group(holder.lost, 'l')}) lost ON lost.key = coalesce(cohort.key, breach.key)${
        c.byDay ? ' AND lost.day = coalesce(cohort.day, breach.day)' : ''
      }`;
}

/** The daily scorecards of every dimension (the view BI reads): one row per dimension, key and creation day. */
export function dailyScorecardSelect(schema: string): string {
  return DIMENSIONS.map(
    (d) => `SELECT '${d}'::text AS dimension, cells.* FROM (${cellsSql({ schema, dimension: d, where: [], byDay: true })}) cells`,
  ).join('\nUNION ALL ');
}

/** The scorecards of a period (exact percentiles over the period's leads), one more row than `limit` to tell whether there are more. */
export function scorecardSql(schema: string, q: ScorecardQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = [q.from, q.to];
  const where = ['l.created_day BETWEEN $1::date AND $2::date'];
  for (const d of DIMENSIONS) {
    const v = q.filters[d];
    if (v === undefined) continue;
    params.push(v);
    where.push(`l.${DIMENSION_COLUMN[d]} = $${params.length}`);
  }
  const byDay = q.groupBy === 'day';
  const keyParam = q.key === undefined ? undefined : (params.push(q.key), `$${params.length}`);
  params.push(q.limit + 1, q.offset);
  const order = `key${byDay ? ', day' : ''}`;
  return {
    sql: `SELECT cells.key${byDay ? ', cells.day::text AS day' : ''}, ${FIGURES.map(([n]) => `cells.${n}`).join(', ')} FROM (${cellsSql({ schema, dimension: q.dimension, where, byDay, keyParam })}) cells
       ORDER BY ${order} LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  };
}

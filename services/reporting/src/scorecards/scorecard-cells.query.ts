import { SCORECARD_CLOCKS } from '../projections/scorecard-cells.projection';

/**
 * The one definition of every scorecard figure, SLA compliance % included,
 * as sums over the daily scorecard cells (projections/scorecard-cells.projection.ts
 * says what each lead adds to them). Both readers use it: the HTTP
 * scorecards (any period, `ReportingQueries.scorecards`) and the view
 * `reporting.daily_scorecard` behind `bi.scorecard_daily_v1` (migration
 * 1764000000420 creates it from `dailyScorecardSelect`; same columns as
 * before, so changing a figure takes a new migration that replaces the view).
 *
 * Cohort: a lead counts on the UTC day it was created, in the cell of its
 * first owner (rep, team), its source and its segment; on rep and team
 * cards its breaches, escalations and fallbacks count for whoever held it
 * then (the held cells). Rates are fractions (0..1), divided at read time
 * from the summed numerators and denominators, null when the denominator
 * is 0. Median and p90 are exact: `percentile_disc` semantics (the first
 * value whose cumulative share reaches the fraction) over the summed
 * counts of each distinct speed to lead.
 */
export type Dimension = 'rep' | 'team' | 'source' | 'segment';
export const DIMENSIONS: readonly Dimension[] = ['rep', 'team', 'source', 'segment'];

/** The cell column a dimension's key is (rep and team: the first owner's, whose SLA it was). */
const DIMENSION_COLUMN: Readonly<Record<Dimension, string>> = { rep: 'rep', team: 'team', source: 'source', segment: 'segment' };

export { SCORECARD_CLOCKS };

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

/** The sums of the cohort cells a card reads. */
const COHORT_SUMS = [
  'leads', 'assigned', 'assignment_ms', 'first_touched', 'contacted', 'attempts',
  ...SCORECARD_CLOCKS.flatMap((c) => [`${c}_met`, `${c}_breached`, `${c}_pending`]),
  'breaches', 'escalations', 'fallbacks', 'leads_with_fallback',
  'reached_mql', 'reached_sal', 'reached_sql', 'reached_opportunity', 'mql_and_sal', 'sal_and_sql', 'sql_and_opportunity',
  'rejected', 'dispositioned', 'dispositions_complete', 'recycled', 'recycled_to_sql', 'recycle_ms',
];

/** The figures on rep and team cards that belong to the holder (DOMAIN.md: fair blame), from the held cells. */
const HELD_SUMS = [...SCORECARD_CLOCKS.map((c) => `${c}_breached`), 'breaches', 'escalations', 'fallbacks', 'leads_with_fallback'];

/** A figure: its column and its expression over the sums `c` (cohort), `h` (held, or the cohort's on source/segment cards) and `s` (speed). */
type Figure = readonly [name: string, expression: string];

const int = (e: string) => `(${e})::int`;
const rate = (num: string, den: string) => `(${num})::double precision / NULLIF(${den}, 0)`;
const seconds = (msSum: string, den: string) => `(${msSum} / 1000.0 / NULLIF(${den}, 0))::double precision`;

/** Every figure in the order of the view's columns (bi.scorecard_daily_v1 keeps this order). */
function figures(held: 'c' | 'h'): Figure[] {
  const n = (col: string) => `coalesce(c.${col}, 0)`;
  const h = (col: string) => `coalesce(${held}.${col}, 0)`;
  return [
    ['leads', int(n('leads'))],
    ['assigned', int(n('assigned'))],
    ['assignment_seconds_avg', seconds('c.assignment_ms', 'c.assigned')],
    ['speed_to_lead_median_seconds', '(s.median_ms / 1000.0)::double precision'],
    ['speed_to_lead_p90_seconds', '(s.p90_ms / 1000.0)::double precision'],
    ['first_touched', int(n('first_touched'))],
    ['contacted', int(n('contacted'))],
    ['contact_rate', rate('c.contacted', 'c.leads')],
    ['attempts', int('c.attempts')],
    ['attempts_per_lead', rate('c.attempts', 'c.leads')],
    ...SCORECARD_CLOCKS.flatMap((k): Figure[] => [
      [`${k}_met`, int(n(`${k}_met`))],
      [`${k}_breached`, int(h(`${k}_breached`))],
      [`${k}_pending`, int(n(`${k}_pending`))],
      [`${k}_compliance_rate`, rate(n(`${k}_met`), `${n(`${k}_met`)} + ${h(`${k}_breached`)}`)],
    ]),
    ['breaches', int(h('breaches'))],
    ['escalations', int(h('escalations'))],
    ['fallbacks', int(h('fallbacks'))],
    ['leads_with_fallback', int(h('leads_with_fallback'))],
    ['reached_mql', int(n('reached_mql'))],
    ['reached_sal', int(n('reached_sal'))],
    ['reached_sql', int(n('reached_sql'))],
    ['reached_opportunity', int(n('reached_opportunity'))],
    ['mql_to_sal_rate', rate('c.mql_and_sal', 'c.reached_mql')],
    ['sal_to_sql_rate', rate('c.sal_and_sql', 'c.reached_sal')],
    ['sql_to_opportunity_rate', rate('c.sql_and_opportunity', 'c.reached_sql')],
    ['rejected', int(n('rejected'))],
    ['dispositioned', int(n('dispositioned'))],
    ['dispositions_complete', int(n('dispositions_complete'))],
    ['disposition_completeness', rate('c.dispositions_complete', 'c.dispositioned')],
    ['recycled', int(n('recycled'))],
    ['recycle_rate', rate('c.recycled', 'c.leads')],
    ['recycled_to_sql', int(n('recycled_to_sql'))],
    ['recycle_to_sql_rate', rate('c.recycled_to_sql', 'c.recycled')],
    ['time_to_recycle_seconds_avg', seconds('c.recycle_ms', 'c.recycled')],
  ];
}

/** The figure columns in view order. */
export const FIGURE_NAMES: readonly string[] = figures('c').map(([name]) => name);

interface Cards {
  readonly schema: string;
  readonly dimension: Dimension;
  /** Conditions on the cells' context columns (filters, period), e.g. `day BETWEEN …`. */
  readonly where: readonly string[];
  /** Group by creation day too. */
  readonly byDay: boolean;
  /** The query parameter (e.g. `$3`) of the one key to compute, if any. */
  readonly keyParam?: string;
}

/** One row per key (and creation day) with every figure, as `key`, `day` (when byDay) and the figure columns. */
function cardsSql(q: Cards): string {
  const col = DIMENSION_COLUMN[q.dimension];
  const byHolder = q.dimension === 'rep' || q.dimension === 'team';
  const group = (key: string) => `${key} AS key${q.byDay ? ', day' : ''}`;
  const groupBy = `GROUP BY key${q.byDay ? ', day' : ''}`;
  const where = (key: string, more: readonly string[] = []) =>
    [`${key} IS NOT NULL`, ...(q.keyParam === undefined ? [] : [`${key} = ${q.keyParam}`]), ...more, ...q.where].join(' AND ');
  const sums = (names: readonly string[]) => names.map((s) => `sum(${s}) AS ${s}`).join(', ');
  const on = (a: string, b: string) => `${b}.key = ${a}.key${q.byDay ? ` AND ${b}.day = ${a}.day` : ''}`;
  const part = `PARTITION BY key${q.byDay ? ', day' : ''}`;
  const cohort = `SELECT ${group(col)}, ${sums(COHORT_SUMS)} FROM "${q.schema}".scorecard_cells WHERE ${where(col)} ${groupBy} HAVING sum(leads) > 0`;
  const speed = `SELECT key${q.byDay ? ', day' : ''},
      min(speed_ms) FILTER (WHERE cum >= ceil(0.5::double precision * total)) AS median_ms,
      min(speed_ms) FILTER (WHERE cum >= ceil(0.9::double precision * total)) AS p90_ms
    FROM (SELECT key${q.byDay ? ', day' : ''}, speed_ms, sum(n) OVER (${part} ORDER BY speed_ms) AS cum, sum(n) OVER (${part})::double precision AS total
          FROM (SELECT ${group(col)}, speed_ms, sum(leads) AS n FROM "${q.schema}".scorecard_speed_cells WHERE ${where(col)} ${groupBy}, speed_ms HAVING sum(leads) > 0) counted) ranked
    ${groupBy}`;
  if (!byHolder) {
    return `SELECT c.key${q.byDay ? ', c.day' : ''}, ${figures('c').map(([n, e]) => `${e} AS ${n}`).join(', ')}
      FROM (${cohort}) c LEFT JOIN (${speed}) s ON ${on('c', 's')}`;
  }
  const held = `SELECT ${group('holder')}, ${sums(HELD_SUMS)} FROM "${q.schema}".scorecard_held_cells
      WHERE ${where('holder', [`holder_kind = '${q.dimension}'`])} ${groupBy} HAVING sum(breaches) + sum(escalations) + sum(fallbacks) > 0`;
  return `SELECT coalesce(c.key, h.key) AS key${q.byDay ? ', coalesce(c.day, h.day) AS day' : ''}, ${figures('h').map(([n, e]) => `${e} AS ${n}`).join(', ')}
    FROM (${cohort}) c FULL JOIN (${held}) h ON ${on('c', 'h')} LEFT JOIN (${speed}) s ON ${on('c', 's')}`;
}

/** The daily scorecards of every dimension (the view BI reads): one row per dimension, key and creation day. */
export function dailyScorecardSelect(schema: string): string {
  return DIMENSIONS.map(
    (d) => `SELECT '${d}'::text AS dimension, cards.key, cards.day, ${FIGURE_NAMES.map((n) => `cards.${n}`).join(', ')}
      FROM (${cardsSql({ schema, dimension: d, where: [], byDay: true })}) cards`,
  ).join('\nUNION ALL ');
}

/** The scorecards of a period, one more row than `limit` to tell whether there are more. */
export function scorecardSql(schema: string, q: ScorecardQuery): { sql: string; params: unknown[] } {
  const params: unknown[] = [q.from, q.to];
  const where = ['day BETWEEN $1::date AND $2::date'];
  for (const d of DIMENSIONS) {
    const v = q.filters[d];
    if (v === undefined) continue;
    params.push(v);
    where.push(`${DIMENSION_COLUMN[d]} = $${params.length}`);
  }
  const byDay = q.groupBy === 'day';
  const keyParam = q.key === undefined ? undefined : (params.push(q.key), `$${params.length}`);
  params.push(q.limit + 1, q.offset);
  return {
    sql: `SELECT cards.key${byDay ? ', cards.day::text AS day' : ''}, ${FIGURE_NAMES.map((n) => `cards.${n}`).join(', ')}
      FROM (${cardsSql({ schema, dimension: q.dimension, where, byDay, keyParam })}) cards
      ORDER BY key${byDay ? ', day' : ''} LIMIT $${params.length - 1} OFFSET $${params.length}`,
    params,
  };
}

import { ClockKind } from '@lead-sla/contracts';

/**
 * The daily scorecard cells: every scorecard figure as sums that add up
 * (numerators and denominators), kept per lead-creation day (UTC, the
 * cohort day of the scorecards) and the lead's context — source, segment,
 * first owner rep and team — so a scorecard of any dimension, period and
 * filter is a sum over cells, and rates are divided at read time
 * (scorecards/scorecard-cells.query.ts).
 *
 * One home: `cellContributions` says what one lead adds to which cells; the
 * projection store writes contributions(after) − contributions(before) for
 * each lead a batch changes, in the batch's transaction, and a rebuild sums
 * the contributions of every stored lead once. Pure: no database code.
 *
 * Three tables:
 * - scorecard_cells: the cohort figures of the leads created that day;
 * - scorecard_held_cells: on rep and team cards, breaches, escalations and
 *   fallbacks count for whoever held the lead then (DOMAIN.md: fair blame),
 *   keyed by that holder as well as the lead's context;
 * - scorecard_speed_cells: each distinct speed to lead (to the millisecond)
 *   with its number of leads, so median and p90 stay exact selections
 *   (percentile_disc semantics) over the summed counts.
 */

/** The clocks a scorecard reports: the sales SLA clocks (data_cleanup is the data desk's time, not a rep's SLA). */
export const SCORECARD_CLOCKS: readonly ClockKind[] = ClockKind.options.filter((c) => c !== 'data_cleanup');

/** The lead-row columns (read-model-columns.ts names) a lead's cells read; timestamps only as set or not. */
export const CELL_LEAD_COLUMNS = [
  'created_day', 'source', 'segment', 'first_owner_rep_id', 'first_owner_team_id',
  'assigned_at', 'assignment_seconds', 'speed_to_lead_seconds', 'contacted_at', 'attempts',
  'reassignment_count', 'breach_count', 'escalation_count',
  'reached_mql', 'reached_sal', 'reached_sql', 'reached_opportunity',
  'rejected_at', 'disposition_code', 'disposition_complete', 'recycled_at', 'time_to_recycle_seconds', 'sql_after_recycle_at',
  ...SCORECARD_CLOCKS.map((c) => `sla_${c}_status`),
] as const;

/** One owner change of the lead row (its `owners` list), as far as fallbacks need it. */
export interface OwnerFact {
  readonly repId: string | null;
  readonly teamId: string | null;
  readonly reassignment: boolean;
  readonly previousRepId: string | null;
}

/** A stored breach or escalation row of the lead, as far as the held figures need it. */
export interface BreachFact {
  readonly kind: 'breach' | 'escalation';
  readonly clock: string;
  readonly ownerRepId: string | null;
  readonly teamId: string | null;
}

/** What a lead's cells are computed from: its lead-row columns, its owners, its breach rows. */
export interface LeadCellFacts {
  readonly columns: Readonly<Record<(typeof CELL_LEAD_COLUMNS)[number], unknown>>;
  readonly owners: readonly OwnerFact[];
  readonly breaches: readonly BreachFact[];
}

export type CellTable = 'scorecard_cells' | 'scorecard_held_cells' | 'scorecard_speed_cells';

/** The context every cell is keyed by (the lead's, whatever the table): what scorecards filter on. */
export const CONTEXT_KEY = ['day', 'source', 'segment', 'rep', 'team'] as const;

/**
 * Each table's key columns, summed value columns (all integers: counts, and
 * durations in milliseconds) and the condition of a cell that holds
 * something: a cell whose leads all moved on (a lead's first owner is set,
 * its context changes) sums to 0 everywhere and stays as a row of zeros,
 * which reads, comparisons and replays treat as no cell.
 */
export const CELL_TABLES: Readonly<Record<CellTable, { readonly key: readonly string[]; readonly values: readonly string[]; readonly present: string }>> = {
  scorecard_cells: {
    key: CONTEXT_KEY,
    values: [
      'leads', 'assigned', 'assignment_ms', 'first_touched', 'contacted', 'attempts',
      ...SCORECARD_CLOCKS.flatMap((c) => [`${c}_met`, `${c}_breached`, `${c}_pending`]),
      'breaches', 'escalations', 'fallbacks', 'leads_with_fallback',
      'reached_mql', 'reached_sal', 'reached_sql', 'reached_opportunity', 'mql_and_sal', 'sal_and_sql', 'sql_and_opportunity',
      'rejected', 'dispositioned', 'dispositions_complete', 'recycled', 'recycled_to_sql', 'recycle_ms',
    ],
    // Every lead adds 1 to `leads` of its cohort cell, so a cell without leads holds nothing.
    present: 'leads <> 0',
  },
  scorecard_held_cells: {
    key: [...CONTEXT_KEY, 'holder_kind', 'holder'],
    values: [...SCORECARD_CLOCKS.map((c) => `${c}_breached`), 'breaches', 'escalations', 'fallbacks', 'leads_with_fallback'],
    // A lead is in a holder's cell for at least one breach, escalation or fallback.
    present: 'breaches + escalations + fallbacks <> 0',
  },
  scorecard_speed_cells: { key: [...CONTEXT_KEY, 'speed_ms'], values: ['leads'], present: 'leads <> 0' },
};

export const CELL_TABLE_NAMES = Object.keys(CELL_TABLES) as CellTable[];

export type CellKeyValue = string | number | null;

/** What one lead adds to one cell (or, in a delta, what a change adds; values may be negative). */
export interface CellContribution {
  readonly table: CellTable;
  readonly key: Readonly<Record<string, CellKeyValue>>;
  readonly values: Readonly<Record<string, number>>;
}

const set = (v: unknown) => v !== null && v !== undefined;
const count = (v: unknown) => (set(v) ? 1 : 0);
const flag = (v: unknown) => (v === true ? 1 : 0);
const int = (v: unknown) => (typeof v === 'number' ? v : 0);
/** Seconds (milliseconds over 1000, as the lead row stores them) back to whole milliseconds, so sums stay exact. */
const ms = (v: unknown) => (typeof v === 'number' ? Math.round(v * 1000) : 0);
const text = (v: unknown) => (typeof v === 'string' ? v : null);

/** Each reassignment with the rep who lost the lead and that rep's team when they had it (the latest earlier entry of theirs). */
function lostOwners(owners: readonly OwnerFact[]): Array<{ rep: string | null; team: string | null }> {
  return owners.flatMap((cur, n) => {
    if (!cur.reassignment) return [];
    const earlier = owners.slice(0, n).reverse().find((prev) => prev.repId === cur.previousRepId && cur.previousRepId !== null);
    return [{ rep: cur.previousRepId, team: earlier?.teamId ?? null }];
  });
}

/** Everything one lead contributes to the cells. A lead without a creation day contributes nothing. */
export function cellContributions(lead: LeadCellFacts | null): CellContribution[] {
  if (lead === null) return [];
  const c = lead.columns;
  const day = text(c.created_day);
  if (day === null) return [];
  const context = { day, source: text(c.source), segment: text(c.segment), rep: text(c.first_owner_rep_id), team: text(c.first_owner_team_id) };
  const status = (clock: string) => c[`sla_${clock}_status` as (typeof CELL_LEAD_COLUMNS)[number]];
  const reached = { mql: flag(c.reached_mql), sal: flag(c.reached_sal), sql: flag(c.reached_sql), opportunity: flag(c.reached_opportunity) };
  const cohort: Record<string, number> = {
    leads: 1,
    assigned: count(c.assigned_at),
    assignment_ms: ms(c.assignment_seconds),
    first_touched: count(c.speed_to_lead_seconds),
    contacted: count(c.contacted_at),
    attempts: int(c.attempts),
    ...Object.fromEntries(
      SCORECARD_CLOCKS.flatMap((clock) => [
        [`${clock}_met`, status(clock) === 'met' ? 1 : 0],
        [`${clock}_breached`, status(clock) === 'breached' ? 1 : 0],
        [`${clock}_pending`, status(clock) === 'pending' ? 1 : 0],
      ]),
    ),
    breaches: int(c.breach_count),
    escalations: int(c.escalation_count),
    fallbacks: int(c.reassignment_count),
    leads_with_fallback: int(c.reassignment_count) > 0 ? 1 : 0,
    reached_mql: reached.mql,
    reached_sal: reached.sal,
    reached_sql: reached.sql,
    reached_opportunity: reached.opportunity,
    mql_and_sal: reached.mql & reached.sal,
    sal_and_sql: reached.sal & reached.sql,
    sql_and_opportunity: reached.sql & reached.opportunity,
    rejected: count(c.rejected_at),
    dispositioned: count(c.disposition_code),
    dispositions_complete: flag(c.disposition_complete),
    recycled: count(c.recycled_at),
    recycled_to_sql: count(c.sql_after_recycle_at),
    recycle_ms: ms(c.time_to_recycle_seconds),
  };
  const out: CellContribution[] = [{ table: 'scorecard_cells', key: context, values: cohort }];
  if (typeof c.speed_to_lead_seconds === 'number') {
    out.push({ table: 'scorecard_speed_cells', key: { ...context, speed_ms: ms(c.speed_to_lead_seconds) }, values: { leads: 1 } });
  }
  // Held figures, per holder: a rep and a team are separate cards, so a lead counts once on each it was breached under.
  const held = new Map<string, { kind: 'rep' | 'team'; holder: string; values: Record<string, number> }>();
  const add = (kind: 'rep' | 'team', holder: string | null, name: string, n = 1, once = false) => {
    if (holder === null) return;
    const id = `${kind}\u0000${holder}`;
    let h = held.get(id);
    if (!h) held.set(id, (h = { kind, holder, values: {} }));
    h.values[name] = once ? 1 : (h.values[name] ?? 0) + n;
  };
  for (const b of lead.breaches) {
    for (const [kind, holder] of [['rep', b.ownerRepId], ['team', b.teamId]] as const) {
      if (b.kind === 'breach') {
        add(kind, holder, 'breaches');
        if ((SCORECARD_CLOCKS as readonly string[]).includes(b.clock)) add(kind, holder, `${b.clock}_breached`, 1, true);
      } else {
        add(kind, holder, 'escalations');
      }
    }
  }
  // As the lead row counts them: reassignments only once the row says the lead was reassigned.
  const lost = int(c.reassignment_count) > 0 ? lostOwners(lead.owners) : [];
  for (const l of lost) {
    for (const [kind, holder] of [['rep', l.rep], ['team', l.team]] as const) {
      add(kind, holder, 'fallbacks');
      add(kind, holder, 'leads_with_fallback', 1, true);
    }
  }
  for (const h of held.values()) out.push({ table: 'scorecard_held_cells', key: { ...context, holder_kind: h.kind, holder: h.holder }, values: h.values });
  return out;
}

const cellId = (c: { table: CellTable; key: Readonly<Record<string, CellKeyValue>> }) =>
  JSON.stringify([c.table, ...CELL_TABLES[c.table].key.map((k) => c.key[k] ?? null)]);

/**
 * Sums contributions by cell: `plus` added, `minus` subtracted; cells whose
 * every value sums to 0 are left out. With plus = contributions(after) and
 * minus = contributions(before) it is the change one batch makes.
 */
export function sumContributions(plus: Iterable<CellContribution>, minus: Iterable<CellContribution> = []): CellContribution[] {
  const sums = new Map<string, { table: CellTable; key: Readonly<Record<string, CellKeyValue>>; values: Record<string, number> }>();
  const addAll = (cs: Iterable<CellContribution>, sign: 1 | -1) => {
    for (const c of cs) {
      const id = cellId(c);
      let s = sums.get(id);
      if (!s) sums.set(id, (s = { table: c.table, key: c.key, values: {} }));
      for (const [name, v] of Object.entries(c.values)) s.values[name] = (s.values[name] ?? 0) + sign * v;
    }
  };
  addAll(plus, 1);
  addAll(minus, -1);
  return [...sums.values()].filter((s) => Object.values(s.values).some((v) => v !== 0));
}

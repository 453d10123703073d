import { Inject, Injectable, Optional } from '@nestjs/common';
import { prepared, type Tx } from '@lead-sla/platform';
import type { BreachRow } from '../projections/breach-row.projection';
import type { ClockInstanceRow } from '../projections/clock-instance.projection';
import type { LeadRow } from '../projections/lead-row.projection';
import {
  CELL_LEAD_COLUMNS,
  CELL_TABLES,
  cellContributions,
  sumContributions,
  type BreachFact,
  type CellContribution,
  type CellTable,
  type LeadCellFacts,
  type OwnerFact,
} from '../projections/scorecard-cells.projection';
import type { RepRotationRow } from '../projections/rep-rotation.projection';
import type { KnownPolicyVersion } from '../projections/policy-version.projection';
import { changesOf, reportingStateOf, type ProjectionChanges, type ReportingState } from './reporting-projections.evolve';
import {
  BOARD_COLUMNS,
  boardColumnsOf,
  BREACH_COLUMNS,
  breachColumnsOf,
  CLOCK_INSTANCE_COLUMNS,
  clockInstanceColumnsOf,
  clockInstanceFromColumns,
  LEAD_COLUMNS,
  leadColumnsOf,
  REP_ROTATION_COLUMNS,
  repRotationColumnsOf,
  repRotationFromColumns,
  type Column,
  type ColumnValue,
} from './read-model-columns';

/** The channel the board's change notices go out on (LISTEN/NOTIFY, delivered at commit). */
export const BOARD_CHANNEL = 'reporting_board';

/** The schema the read models live in: `reporting` for the service, a shadow schema for the rebuild. */
export const REPORTING_SCHEMA = Symbol('REPORTING_SCHEMA');

export interface SaveOptions {
  /** Announce board changes to listeners (the live consumer); a rebuild into a shadow schema does not. */
  readonly notify: boolean;
  /**
   * Add each changed lead's after − before to the scorecard cells (the live
   * consumer); a rebuild builds them once at the end instead (`rebuildCells`).
   */
  readonly cells: boolean;
}

/** The columns of the cell tables' keys and values (values are summed; `_ms` sums are bigint). */
const CELL_KEY_TYPES: Readonly<Record<string, string>> = {
  day: 'date', source: 'text', segment: 'text', rep: 'text', team: 'text', holder_kind: 'text', holder: 'text', speed_ms: 'bigint',
};
const cellValueType = (name: string) => (name.endsWith('_ms') ? 'bigint' : 'integer');

/** The named columns, for a select whose result shape must not change under a prepared statement (no `*`). */
const columnList = (columns: readonly Column[]) => columns.map((c) => `"${c.name}"`).join(', ');

/** A lead's cell facts from its row (the live path) or null when there is no row. */
function leadCellFactsOf(row: LeadRow | null | undefined, breaches: readonly BreachFact[]): LeadCellFacts | null {
  if (!row) return null;
  const all = leadColumnsOf(row);
  const columns = Object.fromEntries(CELL_LEAD_COLUMNS.map((c) => [c, all[c]])) as LeadCellFacts['columns'];
  const owners: OwnerFact[] = row.owners.map((o) => ({ repId: o.repId, teamId: o.teamId, reassignment: o.reassignment, previousRepId: o.previousRepId }));
  return { columns, owners, breaches };
}

const breachFactOf = (b: { kind: string; clock: string; owner_rep_id: string | null; team_id: string | null }): BreachFact => ({
  kind: b.kind === 'escalation' ? 'escalation' : 'breach', clock: b.clock, ownerRepId: b.owner_rep_id, teamId: b.team_id,
});

/**
 * Whether a lead's held cells (breaches, escalations, fallbacks by holder)
 * can differ before and after: they read the lead's context, its owners and
 * its breach rows. When none changed they cancel out, and the batch need not
 * read the lead's stored breach rows.
 */
function heldInputsChanged(before: LeadRow | undefined, after: LeadRow | undefined, newBreach: boolean): boolean {
  if (newBreach || !before || !after) return true;
  return (
    before.createdAt !== after.createdAt || before.source !== after.source || before.segment !== after.segment ||
    before.firstOwnerRepId !== after.firstOwnerRepId || before.firstOwnerTeamId !== after.firstOwnerTeamId ||
    before.owners !== after.owners || (before.reassignmentCount > 0) !== (after.reassignmentCount > 0)
  );
}

/**
 * All SQL of the projection tables, with few round trips per batch: one
 * select each for the lead rows, the clock instances and the rep rotation
 * rows a batch touches
 * (locked, in key order), then one multi-row statement per table (a jsonb
 * array expanded by jsonb_to_recordset). Their texts are constant per schema
 * and table, so the live path runs them as prepared statements.
 */
@Injectable()
export class ProjectionStore {
  constructor(@Optional() @Inject(REPORTING_SCHEMA) readonly schema: string = 'reporting') {}

  /**
   * The state a batch starts from: the stored rows of its leads, clock
   * instances and reps whose rotation changes, and (when the batch publishes
   * a policy version) the newest version in the history.
   */
  async load(tx: Tx, leadIds: readonly string[], clockIds: readonly string[], repIds: readonly string[], withNewestPolicy = false): Promise<ReportingState> {
    const leads = await this.loadLeadRows(tx, leadIds);
    const clocks = await this.loadClockInstances(tx, clockIds);
    const reps = await this.loadRepRotation(tx, repIds);
    return reportingStateOf(leads.values(), clocks.values(), reps, withNewestPolicy ? await this.loadNewestPolicy(tx) : null);
  }

  private async loadNewestPolicy(tx: Tx): Promise<KnownPolicyVersion | null> {
    const [row] = await prepared(tx).query<{ version: string; published_at: Date; document: Record<string, unknown> }>(
      `SELECT version, published_at, document FROM "${this.schema}".policy_versions ORDER BY published_at DESC, version DESC LIMIT 1`,
    );
    return row ? { version: row.version, publishedAt: new Date(row.published_at).toISOString(), document: row.document } : null;
  }

  /** Writes what a batch changed; returns the lead ids whose board row changed. */
  async save(tx: Tx, before: ReportingState, after: ReportingState, options: SaveOptions): Promise<string[]> {
    const changes = changesOf(before, after);
    const { touched, insertedBreaches } = await this.write(tx, changes, options.notify);
    if (options.cells) await this.addCellChanges(tx, before, after, changes.leads, insertedBreaches);
    return touched;
  }

  /**
   * The scorecard cells' share of a batch: for each lead whose row changed
   * or got a breach row, contributions(after) − contributions(before), added
   * to the cells. Breach rows are written once, so "before" is the stored
   * rows less the ones this batch inserted.
   */
  private async addCellChanges(tx: Tx, before: ReportingState, after: ReportingState, leads: readonly LeadRow[], inserted: readonly BreachRow[]) {
    const newBreachLeads = new Set(inserted.map((b) => b.leadId));
    const leadIds = [...new Set([...leads.map((l) => l.leadId), ...newBreachLeads])];
    const withBreaches = leadIds.filter((id) => heldInputsChanged(before.leads.get(id), after.leads.get(id), newBreachLeads.has(id)));
    const stored = new Map<string, Array<{ key: string; fact: BreachFact }>>();
    if (withBreaches.length > 0) {
      const rows = await prepared(tx).query<{ lead_id: string; breach_key: string; kind: string; clock: string; owner_rep_id: string | null; team_id: string | null }>(
        `SELECT lead_id, breach_key, kind, clock, owner_rep_id, team_id FROM "${this.schema}".breach_rows WHERE lead_id = ANY($1)`,
        [withBreaches],
      );
      for (const r of rows) stored.set(r.lead_id, [...(stored.get(r.lead_id) ?? []), { key: r.breach_key, fact: breachFactOf(r) }]);
    }
    const insertedKeys = new Set(inserted.map((b) => b.breachKey));
    const plus: CellContribution[] = [];
    const minus: CellContribution[] = [];
    for (const id of leadIds) {
      const all = stored.get(id) ?? [];
      plus.push(...cellContributions(leadCellFactsOf(after.leads.get(id), all.map((b) => b.fact))));
      minus.push(...cellContributions(leadCellFactsOf(before.leads.get(id), all.filter((b) => !insertedKeys.has(b.key)).map((b) => b.fact))));
    }
    await this.addToCells(tx, sumContributions(plus, minus));
  }

  /**
   * Adds summed contributions to the cell tables, one multi-row upsert per
   * table. Rows go in key order, so batches of different partitions that
   * share cells (same day and source) lock them in the same order.
   */
  private async addToCells(tx: Tx, cells: readonly CellContribution[]) {
    for (const table of Object.keys(CELL_TABLES) as CellTable[]) {
      const rows = cells.filter((c) => c.table === table);
      if (rows.length === 0) continue;
      const { key, values } = CELL_TABLES[table];
      const names = [...key, ...values].map((n) => `"${n}"`).join(', ');
      const spec = [...key.map((k) => `"${k}" ${CELL_KEY_TYPES[k]}`), ...values.map((v) => `"${v}" ${cellValueType(v)}`)].join(', ');
      const add = values.map((v) => `"${v}" = t."${v}" + EXCLUDED."${v}"`).join(', ');
      await prepared(tx).execute(
        `INSERT INTO "${this.schema}".${table} AS t (${names})
         SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS x(${spec}) ORDER BY ${key.map((k) => `"${k}"`).join(', ')}
         ON CONFLICT (${key.map((k) => `"${k}"`).join(', ')}) DO UPDATE SET ${add}`,
        [JSON.stringify(rows.map((c) => ({ ...Object.fromEntries(values.map((v) => [v, 0])), ...c.key, ...c.values })))],
      );
    }
  }

  /**
   * Builds the scorecard cells once from the stored lead and breach rows (at
   * the end of a rebuild's replay, in the migration that created them, or
   * after rows were written outside the projection): empties the cell
   * tables, then sums every lead's contributions day by day — leads come in
   * creation-day order through a cursor, so only one day's cells are held
   * in memory. Runs inside the caller's transaction (the cursor needs one).
   */
  async rebuildCells(tx: Tx, chunk = 20_000): Promise<{ leads: number; cells: number }> {
    for (const table of Object.keys(CELL_TABLES)) await tx.execute(`TRUNCATE "${this.schema}".${table}`);
    const columns = CELL_LEAD_COLUMNS.map((c) => (c === 'created_day' ? 'l.created_day::text AS created_day' : `l."${c}"`)).join(', ');
    await tx.execute(
      `DECLARE scorecard_cell_leads NO SCROLL CURSOR FOR
       SELECT ${columns}, coalesce(l.row->'owners', '[]') AS owners, coalesce(b.breaches, '[]') AS breaches
       FROM "${this.schema}".lead_rows l
       LEFT JOIN (SELECT lead_id, jsonb_agg(jsonb_build_object('kind', kind, 'clock', clock, 'owner_rep_id', owner_rep_id, 'team_id', team_id)) AS breaches
                  FROM "${this.schema}".breach_rows GROUP BY lead_id) b ON b.lead_id = l.lead_id
       WHERE l.created_day IS NOT NULL ORDER BY l.created_day`,
    );
    let leads = 0;
    let cells = 0;
    let day: unknown = null;
    let contributions: CellContribution[] = [];
    const flush = async () => {
      const sums = sumContributions(contributions);
      for (let i = 0; i < sums.length; i += 5000) await this.addToCells(tx, sums.slice(i, i + 5000));
      cells += sums.length;
      contributions = [];
    };
    for (;;) {
      const rows = await tx.query<Record<string, unknown>>(`FETCH ${chunk} FROM scorecard_cell_leads`);
      for (const r of rows) {
        if (r.created_day !== day) {
          await flush();
          day = r.created_day;
        }
        const facts: LeadCellFacts = {
          columns: r as LeadCellFacts['columns'],
          owners: r.owners as OwnerFact[],
          breaches: (r.breaches as Array<{ kind: string; clock: string; owner_rep_id: string | null; team_id: string | null }>).map(breachFactOf),
        };
        contributions.push(...cellContributions(facts));
      }
      leads += rows.length;
      if (rows.length < chunk) break;
    }
    await flush();
    await tx.execute('CLOSE scorecard_cell_leads');
    return { leads, cells };
  }

  private async loadLeadRows(tx: Tx, leadIds: readonly string[]): Promise<Map<string, LeadRow>> {
    if (leadIds.length === 0) return new Map();
    const rows = await prepared(tx).query<{ lead_id: string; row: LeadRow }>(
      `SELECT lead_id, row FROM "${this.schema}".lead_rows WHERE lead_id = ANY($1) ORDER BY lead_id FOR UPDATE`,
      [leadIds],
    );
    return new Map(rows.map((r) => [r.lead_id, r.row]));
  }

  private async loadClockInstances(tx: Tx, clockIds: readonly string[]): Promise<Map<string, ClockInstanceRow>> {
    if (clockIds.length === 0) return new Map();
    const rows = await prepared(tx).query<Record<string, unknown>>(`SELECT ${columnList(CLOCK_INSTANCE_COLUMNS)} FROM "${this.schema}".clock_instances WHERE clock_id = ANY($1) ORDER BY clock_id FOR UPDATE`, [clockIds]);
    return new Map(rows.map((r) => [r.clock_id as string, clockInstanceFromColumns(r)]));
  }

  private async loadRepRotation(tx: Tx, repIds: readonly string[]): Promise<RepRotationRow[]> {
    if (repIds.length === 0) return [];
    const rows = await prepared(tx).query<Record<string, unknown>>(`SELECT ${columnList(REP_ROTATION_COLUMNS)} FROM "${this.schema}".rep_rotation WHERE rep_id = ANY($1) ORDER BY rep_id FOR UPDATE`, [repIds]);
    return rows.map(repRotationFromColumns);
  }

  private async write(tx: Tx, changes: ProjectionChanges, notify: boolean): Promise<{ touched: string[]; insertedBreaches: BreachRow[] }> {
    await this.upsert(tx, 'lead_rows', LEAD_COLUMNS, 'lead_id', changes.leads.map(leadColumnsOf));
    await this.upsert(tx, 'clock_instances', CLOCK_INSTANCE_COLUMNS, 'clock_id', changes.clockInstances.map(clockInstanceColumnsOf));
    await this.upsert(tx, 'board_rows', BOARD_COLUMNS, 'lead_id', changes.boardUpserts.map(boardColumnsOf));
    await this.upsert(tx, 'rep_rotation', REP_ROTATION_COLUMNS, 'rep_id', changes.repRotation.map(repRotationColumnsOf));
    if (changes.policyVersions.length > 0) {
      await prepared(tx).execute(
        `INSERT INTO "${this.schema}".policy_versions (version, published_at, published_by, reason, previous_version, summary, document)
         SELECT x.version, x.published_at, x.published_by, x.reason, x.previous_version, x.summary, x.document
         FROM jsonb_to_recordset($1::jsonb) AS x(version text, published_at timestamptz, published_by jsonb, reason text, previous_version text, summary text, document jsonb)
         ON CONFLICT (version) DO NOTHING`,
        [JSON.stringify(changes.policyVersions.map((v) => ({
          version: v.version, published_at: v.publishedAt, published_by: v.publishedBy, reason: v.reason, previous_version: v.previousVersion, summary: v.summary, document: v.document,
        })))],
      );
    }
    let insertedBreaches: BreachRow[] = [];
    if (changes.breaches.length > 0) {
      // RETURNING: a re-delivered breach (already stored by an earlier batch) inserts nothing and must not count again in the cells.
      const keys = await this.insert(tx, 'breach_rows', BREACH_COLUMNS, changes.breaches.map(breachColumnsOf), 'ON CONFLICT (breach_key) DO NOTHING RETURNING breach_key');
      const fresh = new Set(keys.map((r) => r.breach_key as string));
      insertedBreaches = changes.breaches.filter((b) => fresh.has(b.breachKey));
    }
    let deleted: string[] = [];
    if (changes.boardDeletes.length > 0) {
      const rows = await prepared(tx).query<{ lead_id: string }>(
        `DELETE FROM "${this.schema}".board_rows WHERE lead_id = ANY($1) RETURNING lead_id`,
        [changes.boardDeletes],
      );
      deleted = rows.map((r) => r.lead_id);
    }
    const touched = [...changes.boardUpserts.map((b) => b.leadId), ...deleted];
    if (notify && touched.length > 0) {
      // A notice is small (8000 bytes max): past a few hundred ids, ask listeners to reload.
      const payload = touched.length <= 200 ? JSON.stringify({ leadIds: touched }) : JSON.stringify({ reload: true });
      await prepared(tx).query('SELECT pg_notify($1, $2)', [BOARD_CHANNEL, payload]);
    }
    return { touched, insertedBreaches };
  }

  private async upsert(tx: Tx, table: string, columns: readonly Column[], key: string, rows: Array<Record<string, ColumnValue>>) {
    if (rows.length === 0) return;
    const updates = columns.filter((c) => c.name !== key).map((c) => `"${c.name}" = EXCLUDED."${c.name}"`).join(', ');
    await this.insert(tx, table, columns, rows, `ON CONFLICT (${key}) DO UPDATE SET ${updates}`);
  }

  /** Inserts rows in one statement; returns what `onConflict` (with its RETURNING clause, if any) returns. */
  private async insert(tx: Tx, table: string, columns: readonly Column[], rows: Array<Record<string, ColumnValue>>, onConflict = ''): Promise<Array<Record<string, unknown>>> {
    if (rows.length === 0) return [];
    const names = columns.map((c) => `"${c.name}"`).join(', ');
    const spec = columns.map((c) => `"${c.name}" ${c.type}`).join(', ');
    return prepared(tx).query<Record<string, unknown>>(
      `INSERT INTO "${this.schema}".${table} (${names}) SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS x(${spec}) ${onConflict}`,
      [JSON.stringify(rows)],
    );
  }
}

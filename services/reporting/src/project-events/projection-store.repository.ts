import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Tx } from '@lead-sla/platform';
import type { ClockInstanceRow } from '../projections/clock-instance.projection';
import type { LeadRow } from '../projections/lead-row.projection';
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
}

/**
 * All SQL of the projection tables, with few round trips per batch: one
 * select each for the lead rows, the clock instances and the rep rotation
 * rows a batch touches
 * (locked, in key order), then one multi-row statement per table (a jsonb
 * array expanded by jsonb_to_recordset).
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
    const [row] = await tx.query<{ version: string; published_at: Date; document: Record<string, unknown> }>(
      `SELECT version, published_at, document FROM "${this.schema}".policy_versions ORDER BY published_at DESC, version DESC LIMIT 1`,
    );
    return row ? { version: row.version, publishedAt: new Date(row.published_at).toISOString(), document: row.document } : null;
  }

  /** Writes what a batch changed; returns the lead ids whose board row changed. */
  async save(tx: Tx, before: ReportingState, after: ReportingState, options: SaveOptions): Promise<string[]> {
    return this.write(tx, changesOf(before, after), options.notify);
  }

  private async loadLeadRows(tx: Tx, leadIds: readonly string[]): Promise<Map<string, LeadRow>> {
    if (leadIds.length === 0) return new Map();
    const rows = await tx.query<{ lead_id: string; row: LeadRow }>(
      `SELECT lead_id, row FROM "${this.schema}".lead_rows WHERE lead_id = ANY($1) ORDER BY lead_id FOR UPDATE`,
      [leadIds],
    );
    return new Map(rows.map((r) => [r.lead_id, r.row]));
  }

  private async loadClockInstances(tx: Tx, clockIds: readonly string[]): Promise<Map<string, ClockInstanceRow>> {
    if (clockIds.length === 0) return new Map();
    const rows = await tx.query<Record<string, unknown>>(`SELECT * FROM "${this.schema}".clock_instances WHERE clock_id = ANY($1) ORDER BY clock_id FOR UPDATE`, [clockIds]);
    return new Map(rows.map((r) => [r.clock_id as string, clockInstanceFromColumns(r)]));
  }

  private async loadRepRotation(tx: Tx, repIds: readonly string[]): Promise<RepRotationRow[]> {
    if (repIds.length === 0) return [];
    const rows = await tx.query<Record<string, unknown>>(`SELECT * FROM "${this.schema}".rep_rotation WHERE rep_id = ANY($1) ORDER BY rep_id FOR UPDATE`, [repIds]);
    return rows.map(repRotationFromColumns);
  }

  private async write(tx: Tx, changes: ProjectionChanges, notify: boolean): Promise<string[]> {
    await this.upsert(tx, 'lead_rows', LEAD_COLUMNS, 'lead_id', changes.leads.map(leadColumnsOf));
    await this.upsert(tx, 'clock_instances', CLOCK_INSTANCE_COLUMNS, 'clock_id', changes.clockInstances.map(clockInstanceColumnsOf));
    await this.upsert(tx, 'board_rows', BOARD_COLUMNS, 'lead_id', changes.boardUpserts.map(boardColumnsOf));
    await this.upsert(tx, 'rep_rotation', REP_ROTATION_COLUMNS, 'rep_id', changes.repRotation.map(repRotationColumnsOf));
    if (changes.policyVersions.length > 0) {
      await tx.execute(
        `INSERT INTO "${this.schema}".policy_versions (version, published_at, published_by, reason, previous_version, summary, document)
         SELECT x.version, x.published_at, x.published_by, x.reason, x.previous_version, x.summary, x.document
         FROM jsonb_to_recordset($1::jsonb) AS x(version text, published_at timestamptz, published_by jsonb, reason text, previous_version text, summary text, document jsonb)
         ON CONFLICT (version) DO NOTHING`,
        [JSON.stringify(changes.policyVersions.map((v) => ({
          version: v.version, published_at: v.publishedAt, published_by: v.publishedBy, reason: v.reason, previous_version: v.previousVersion, summary: v.summary, document: v.document,
        })))],
      );
    }
    if (changes.breaches.length > 0) {
      await this.insert(tx, 'breach_rows', BREACH_COLUMNS, changes.breaches.map(breachColumnsOf), 'ON CONFLICT (breach_key) DO NOTHING');
    }
    let deleted: string[] = [];
    if (changes.boardDeletes.length > 0) {
      const rows = await tx.query<{ lead_id: string }>(
        `DELETE FROM "${this.schema}".board_rows WHERE lead_id = ANY($1) RETURNING lead_id`,
        [changes.boardDeletes],
      );
      deleted = rows.map((r) => r.lead_id);
    }
    const touched = [...changes.boardUpserts.map((b) => b.leadId), ...deleted];
    if (notify && touched.length > 0) {
      // A notice is small (8000 bytes max): past a few hundred ids, ask listeners to reload.
      const payload = touched.length <= 200 ? JSON.stringify({ leadIds: touched }) : JSON.stringify({ reload: true });
      await tx.query('SELECT pg_notify($1, $2)', [BOARD_CHANNEL, payload]);
    }
    return touched;
  }

  private async upsert(tx: Tx, table: string, columns: readonly Column[], key: string, rows: Array<Record<string, ColumnValue>>) {
    if (rows.length === 0) return;
    const updates = columns.filter((c) => c.name !== key).map((c) => `"${c.name}" = EXCLUDED."${c.name}"`).join(', ');
    await this.insert(tx, table, columns, rows, `ON CONFLICT (${key}) DO UPDATE SET ${updates}`);
  }

  private async insert(tx: Tx, table: string, columns: readonly Column[], rows: Array<Record<string, ColumnValue>>, onConflict = '') {
    if (rows.length === 0) return;
    const names = columns.map((c) => `"${c.name}"`).join(', ');
    const spec = columns.map((c) => `"${c.name}" ${c.type}`).join(', ');
    await tx.execute(
      `INSERT INTO "${this.schema}".${table} (${names}) SELECT ${names} FROM jsonb_to_recordset($1::jsonb) AS x(${spec}) ${onConflict}`,
      [JSON.stringify(rows)],
    );
  }
}

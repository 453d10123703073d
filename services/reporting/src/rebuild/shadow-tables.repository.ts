import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { PolicyVersionRow } from '../projections/policy-version.projection';
import type { ProjectionChanges } from '../project-events/reporting-projections.evolve';
import {
  BOARD_COLUMNS,
  boardColumnsOf,
  BREACH_COLUMNS,
  breachColumnsOf,
  CLOCK_INSTANCE_COLUMNS,
  clockInstanceColumnsOf,
  LEAD_COLUMNS,
  leadColumnsOf,
  REP_ROTATION_COLUMNS,
  repRotationColumnsOf,
  type Column,
  type ColumnValue,
} from '../project-events/read-model-columns';
import { copyTextRows } from './copy-text.util';

const POLICY_VERSION_COLUMNS: readonly Column[] = [
  { name: 'version', type: 'text' },
  { name: 'published_at', type: 'timestamptz' },
  { name: 'published_by', type: 'jsonb' },
  { name: 'reason', type: 'text' },
  { name: 'previous_version', type: 'text' },
  { name: 'summary', type: 'text' },
  { name: 'document', type: 'jsonb' },
];

const policyVersionColumnsOf = (v: PolicyVersionRow): Record<string, ColumnValue> => ({
  version: v.version, published_at: v.publishedAt, published_by: v.publishedBy, reason: v.reason, previous_version: v.previousVersion, summary: v.summary, document: v.document,
});

/** A shadow table the bulk path writes: its columns, its key, and whether a stored row is replaced (upsert) or kept. */
interface StagedTable {
  readonly table: string;
  readonly columns: readonly Column[];
  readonly key: string;
  readonly replace: boolean;
}

const STAGED = {
  leads: { table: 'lead_rows', columns: LEAD_COLUMNS, key: 'lead_id', replace: true },
  clocks: { table: 'clock_instances', columns: CLOCK_INSTANCE_COLUMNS, key: 'clock_id', replace: true },
  board: { table: 'board_rows', columns: BOARD_COLUMNS, key: 'lead_id', replace: true },
  reps: { table: 'rep_rotation', columns: REP_ROTATION_COLUMNS, key: 'rep_id', replace: true },
  // Breach rows and policy versions are written once (a re-delivered one changes nothing), as in the live store.
  breaches: { table: 'breach_rows', columns: BREACH_COLUMNS, key: 'breach_key', replace: false },
  policies: { table: 'policy_versions', columns: POLICY_VERSION_COLUMNS, key: 'version', replace: false },
} as const satisfies Record<string, StagedTable>;

/**
 * The rebuild's bulk writes into the shadow tables, on one writer's own
 * connection, inside its transaction: a chunk's changed rows go by COPY
 * (text format, see copy-text.util.ts) into a session-local staging table
 * per shadow table (temporary: no WAL, emptied at each commit), then into the
 * shadow table with one INSERT … SELECT … ON CONFLICT per table — the same
 * upsert (or insert-once) the live ProjectionStore runs with a jsonb
 * parameter, in key order. The scorecard cells are not written here: the
 * rebuild builds them once from the rows (ProjectionStore.rebuildCells).
 */
export class ShadowTablesRepository {
  constructor(readonly shadow: string) {}

  /** Creates this connection's staging tables (once per connection, before its first `write`). */
  async prepare(client: Client): Promise<void> {
    for (const s of Object.values(STAGED)) {
      await client.query(`CREATE TEMP TABLE "stage_${s.table}" (LIKE "${this.shadow}".${s.table}) ON COMMIT DELETE ROWS`);
    }
  }

  /** Writes what a chunk changed (`changesOf(before, after)`), inside the caller's transaction on `client`. */
  async write(client: Client, changes: ProjectionChanges): Promise<void> {
    await this.put(client, STAGED.leads, changes.leads.map(leadColumnsOf));
    await this.put(client, STAGED.clocks, changes.clockInstances.map(clockInstanceColumnsOf));
    await this.put(client, STAGED.board, changes.boardUpserts.map(boardColumnsOf));
    await this.put(client, STAGED.reps, changes.repRotation.map(repRotationColumnsOf));
    await this.put(client, STAGED.policies, changes.policyVersions.map(policyVersionColumnsOf));
    await this.put(client, STAGED.breaches, changes.breaches.map(breachColumnsOf));
    if (changes.boardDeletes.length > 0) {
      await client.query(`DELETE FROM "${this.shadow}".board_rows WHERE lead_id = ANY($1)`, [changes.boardDeletes]);
    }
  }

  /** Each table is put at most once per transaction: its staging table is empty until the commit empties it again. */
  private async put(client: Client, s: StagedTable, rows: Array<Record<string, ColumnValue>>): Promise<void> {
    if (rows.length === 0) return;
    const names = s.columns.map((c) => `"${c.name}"`).join(', ');
    await pipeline(Readable.from([copyTextRows(s.columns, rows)]), client.query(copyFrom(`COPY "stage_${s.table}" (${names}) FROM STDIN`)));
    const onConflict = s.replace
      ? `DO UPDATE SET ${s.columns.filter((c) => c.name !== s.key).map((c) => `"${c.name}" = EXCLUDED."${c.name}"`).join(', ')}`
      : 'DO NOTHING';
    await client.query(`INSERT INTO "${this.shadow}".${s.table} (${names}) SELECT ${names} FROM "stage_${s.table}" ORDER BY "${s.key}" ON CONFLICT ("${s.key}") ${onConflict}`);
  }
}

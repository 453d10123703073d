import type { Client } from 'pg';

/** A table of a service's state that a replay must reproduce row for row. */
export interface StateTable {
  /** Schema-qualified, e.g. "routing.reps". */
  readonly table: string;
  /** The primary key columns (rows are matched on them). */
  readonly key: readonly string[];
  /** Bookkeeping columns that are not state (e.g. updated_at: when the row was written). */
  readonly ignore?: readonly string[];
  /** Only these rows are state (e.g. "status = 'pending'" for deadline rows; fired rows are history). */
  readonly where?: string;
}

export interface TableDifference {
  readonly table: string;
  readonly liveRows: number;
  readonly replayRows: number;
  readonly onlyLive: readonly string[];
  readonly onlyReplay: readonly string[];
  /** Keys whose rows differ, with the columns that differ and their values on each side (canonical JSON). */
  readonly changed: ReadonlyArray<{ key: string; columns: readonly string[]; live: Record<string, string>; replay: Record<string, string> }>;
}

/** JSON with sorted object keys, dates as ISO strings: equal values compare equal. */
function canonical(value: unknown): string {
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Buffer.isBuffer(value)) return JSON.stringify(value.toString('hex'));
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

async function rowsOf(db: Client, t: StateTable): Promise<Map<string, Record<string, string>>> {
  const { rows } = await db.query(`SELECT * FROM ${t.table}${t.where ? ` WHERE ${t.where}` : ''}`);
  const ignore = new Set(t.ignore ?? []);
  const out = new Map<string, Record<string, string>>();
  for (const row of rows as Array<Record<string, unknown>>) {
    const key = t.key.map((k) => String(row[k])).join('|');
    const cells: Record<string, string> = {};
    for (const [column, value] of Object.entries(row)) if (!ignore.has(column)) cells[column] = canonical(value);
    out.set(key, cells);
  }
  return out;
}

/** Compares one table in two databases row by row (same schema in both). */
export async function compareTable(live: Client, replay: Client, t: StateTable): Promise<TableDifference> {
  const [a, b] = await Promise.all([rowsOf(live, t), rowsOf(replay, t)]);
  const onlyLive = [...a.keys()].filter((k) => !b.has(k));
  const onlyReplay = [...b.keys()].filter((k) => !a.has(k));
  const changed: Array<{ key: string; columns: string[]; live: Record<string, string>; replay: Record<string, string> }> = [];
  for (const [key, row] of a) {
    const other = b.get(key);
    if (!other) continue;
    const columns = [...new Set([...Object.keys(row), ...Object.keys(other)])].filter((c) => row[c] !== other[c]);
    const pick = (r: Record<string, string>) => Object.fromEntries(columns.map((c) => [c, r[c]]));
    if (columns.length > 0) changed.push({ key, columns, live: pick(row), replay: pick(other) });
  }
  return { table: t.table, liveRows: a.size, replayRows: b.size, onlyLive, onlyReplay, changed };
}

export function isEqual(d: TableDifference): boolean {
  return d.onlyLive.length === 0 && d.onlyReplay.length === 0 && d.changed.length === 0;
}

/** The differing values of the first rows that differ, each cut to `width` characters (they may hold contact details: for an operator's eyes). */
export function showDifferences(d: TableDifference, rows = 3, width = 400): string[] {
  const cut = (v: string | undefined) => (v === undefined ? '(none)' : v.length > width ? `${v.slice(0, width)}…` : v);
  return d.changed.slice(0, rows).flatMap((c) => c.columns.map((col) => `  ${d.table} ${c.key} ${col}: live ${cut(c.live[col])} | replay ${cut(c.replay[col])}`));
}

/** One line per table, with a few example keys where they differ. */
export function describeDifference(d: TableDifference): string {
  if (isEqual(d)) return `${d.table}: equal (${d.liveRows} rows)`;
  const some = (keys: readonly string[]) => keys.slice(0, 5).join(', ') + (keys.length > 5 ? ', …' : '');
  const parts = [
    d.onlyLive.length ? `${d.onlyLive.length} only in live (${some(d.onlyLive)})` : '',
    d.onlyReplay.length ? `${d.onlyReplay.length} only in the replay (${some(d.onlyReplay)})` : '',
    d.changed.length ? `${d.changed.length} differ (${d.changed.slice(0, 5).map((c) => `${c.key}: ${c.columns.join('/')}`).join(', ')}${d.changed.length > 5 ? ', …' : ''})` : '',
  ].filter(Boolean);
  return `${d.table}: DIFFERENT — live ${d.liveRows} rows, replay ${d.replayRows} rows; ${parts.join('; ')}`;
}

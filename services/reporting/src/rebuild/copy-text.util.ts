import type { Column, ColumnValue } from '../project-events/read-model-columns';

/**
 * PostgreSQL's COPY text format, for the rebuild's bulk writes: one line per
 * row, columns separated by tabs, `\N` for null. A value's backslashes, tabs,
 * newlines and carriage returns are escaped with a backslash (the only bytes
 * the format gives a meaning to); everything else, unicode included, goes as
 * it is. jsonb columns carry the value's JSON text, so a JSON string's
 * escapes (`\"`, `\\`, `\n`) get their backslashes doubled here and arrive
 * intact. Pure: no database code.
 */
const ESCAPES: Readonly<Record<string, string>> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const SPECIAL = /[\\\t\n\r]/g;

/** One value as COPY text reads it into a column of `column.type`. */
export function copyTextValue(column: Column, value: ColumnValue | undefined): string {
  if (value === null || value === undefined) return '\\N';
  const text = column.type === 'jsonb' || typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.replace(SPECIAL, (c) => ESCAPES[c]);
}

/** Rows as COPY text lines (each ending in a newline), columns in `columns`' order; a missing key is null. */
export function copyTextRows(columns: readonly Column[], rows: ReadonlyArray<Readonly<Record<string, ColumnValue>>>): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < columns.length; i++) {
      if (i > 0) out += '\t';
      out += copyTextValue(columns[i], row[columns[i].name]);
    }
    out += '\n';
  }
  return out;
}

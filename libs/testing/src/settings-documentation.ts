import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SettingsDocumentationGaps {
  /** Validated by the service but not in the table. */
  readonly undocumented: string[];
  /** In the table for this service (or "all") but not validated by it. */
  readonly notValidated: string[];
}

const SERVICES = ['routing', 'timer', 'disposition', 'reporting', 'ingest', 'notifications'];

/**
 * Compares the variables a service validates (its ConfigModule schema) with
 * the services' settings table of docs/configuration.md, both ways. A row's
 * "Services" cell names services, "all" or "any service".
 */
export function settingsDocumentationGaps(service: string, validated: readonly string[], markdown = readFileSync(join(__dirname, '../../../docs/configuration.md'), 'utf8')): SettingsDocumentationGaps {
  const lines = markdown.split('\n');
  const header = lines.findIndex((l) => /^\| Variable \| Services \|/.test(l));
  if (header < 0) throw new Error('docs/configuration.md has no "| Variable | Services | …" table: keep the services\' settings in one such table');
  const rows: Array<{ variable: string; services: string[] }> = [];
  for (const line of lines.slice(header + 2)) {
    const cells = /^\| `([A-Z0-9_]+)` \| ([^|]+) \|/.exec(line);
    if (!cells) break;
    const named = cells[2];
    rows.push({ variable: cells[1], services: /\ball\b|any service/.test(named) ? SERVICES : SERVICES.filter((s) => new RegExp(`\\b${s}\\b`).test(named)) });
  }
  const documented = new Set(rows.map((r) => r.variable));
  const ownSet = new Set(validated);
  return {
    undocumented: validated.filter((v) => !documented.has(v)),
    notValidated: rows.filter((r) => r.services.includes(service) && !ownSet.has(r.variable)).map((r) => r.variable),
  };
}

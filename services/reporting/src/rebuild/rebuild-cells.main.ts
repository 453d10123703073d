import { Client } from 'pg';
import { ProjectionStore } from '../project-events/projection-store.repository';
import { txOfClient } from './rebuild-projections';

/**
 * Builds the scorecard cells again from the stored lead and breach rows, in
 * one transaction (readers see the old cells until it commits): after rows
 * were written outside the projection (the reporting bench's generated
 * history) or to repair cells. Run with `node -r @swc-node/register
 * services/reporting/src/rebuild/rebuild-cells.main.ts`; uses the schema
 * owner's MIGRATION_DATABASE_URL (DATABASE_URL when there is only one role).
 * Stop the reporting service first: its batches change the cells too.
 */
async function main(): Promise<void> {
  const databaseUrl = process.env.MIGRATION_DATABASE_URL || process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('set MIGRATION_DATABASE_URL (the schema owner the reporting migrations run as; DATABASE_URL when there is only one role)');
  const db = new Client({ connectionString: databaseUrl, application_name: 'lead-sla-reporting-rebuild-cells' });
  await db.connect();
  try {
    const started = Date.now();
    await db.query('BEGIN');
    const result = await new ProjectionStore('reporting').rebuildCells(txOfClient(db));
    await db.query('COMMIT');
    process.stdout.write(`${JSON.stringify({ ...result, seconds: (Date.now() - started) / 1000 })}\n`);
  } finally {
    await db.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`building the scorecard cells failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

import { Client } from 'pg';
import { createKafka } from '@lead-sla/messaging';
import { rebuildProjections } from './rebuild-projections';

/**
 * `npm run reporting:rebuild [-- --dry-run]`: replays lead-events.v1 from
 * offset 0 into a shadow schema and swaps the result into `reporting`.
 * Uses KAFKA_BROKERS and, since it rebuilds tables, the schema owner's
 * MIGRATION_DATABASE_URL (DATABASE_URL when that is not set).
 */
async function main(): Promise<void> {
  const databaseUrl = process.env.MIGRATION_DATABASE_URL || process.env.DATABASE_URL;
  const brokers = process.env.KAFKA_BROKERS;
  if (!databaseUrl || !brokers) throw new Error('set KAFKA_BROKERS and MIGRATION_DATABASE_URL (the schema owner the reporting migrations run as; DATABASE_URL when there is only one role)');
  const dryRun = process.argv.includes('--dry-run');
  const db = new Client({ connectionString: databaseUrl, application_name: 'lead-sla-reporting-rebuild' });
  await db.connect();
  const kafka = createKafka({ brokers, clientId: 'lead-sla-reporting-rebuild' });
  try {
    const connect = async () => {
      const c = new Client({ connectionString: databaseUrl, application_name: 'lead-sla-reporting-rebuild' });
      await c.connect();
      return c;
    };
    const result = await rebuildProjections({ kafka, db, connect, dryRun, log: (l) => process.stdout.write(`${l}\n`) });
    process.stdout.write(`${JSON.stringify(result)}\n`);
    if (result.differences && Object.values(result.differences).some((n) => n > 0)) {
      process.stdout.write('note: rebuilt tables differ from the live ones (see differences); the rebuilt ones are now live\n');
    }
  } finally {
    await db.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`reporting rebuild failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

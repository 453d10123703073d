import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { numberArg, round, type BenchScenario } from '../bench-scenario';
import { runLeadStream } from './e2e.scenario';

/**
 * Bytes of the broker's log segments (`*.log`) under `dir`, by topic. Index
 * files are left out: a running broker preallocates 10 MiB for each, which
 * says nothing about growth.
 */
function segmentBytesByTopic(dir: string): Map<string, number> {
  const byTopic = new Map<string, number>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const topic = entry.name.replace(/-\d+$/, '');
    const bytes = readdirSync(join(dir, entry.name)).filter((f) => f.endsWith('.log')).reduce((sum, f) => sum + statSync(join(dir, entry.name, f)).size, 0);
    byTopic.set(topic, (byTopic.get(topic) ?? 0) + bytes);
  }
  return byTopic;
}

const MB = 1024 * 1024;

/**
 * Storage growth: N leads through the whole platform (created → assigned →
 * clocks started → projected), then the size of every service table
 * (pg_total_relation_size: rows, indexes, TOAST) and of the broker's log,
 * scaled to one million leads. A measured extrapolation: the per-lead cost
 * is linear (one row set per lead), so N = 20,000 gives the slope.
 */
export const storageScenario: BenchScenario = {
  name: 'storage',
  description: 'bytes per lead in every Postgres table and the Kafka log, extrapolated to one million leads (--leads=N, --rate=leads/s)',
  async run(ctx) {
    const count = numberArg(ctx, 'leads', 20_000);
    // Paced by default: as fast as possible, a 2-core machine measures lock waits more than storage.
    const rate = numberArg(ctx, 'rate', 100);
    const db = new Client({ connectionString: ctx.databaseUrl });
    await db.connect();
    try {
      const sizes = async () =>
        new Map(
          (
            await db.query<{ name: string; bytes: string }>(
              `SELECT n.nspname || '.' || c.relname AS name, pg_total_relation_size(c.oid)::text AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')`,
            )
          ).rows.map((r) => [r.name, Number(r.bytes)]),
        );
      // Every service caught up with the stream before sizes are read.
      const run = await runLeadStream(ctx, { leads: count, ratePerSecond: rate, warmupSeconds: 0 });
      if (run.unassigned > 0) throw new Error(`${run.unassigned} of ${count} leads were never assigned (see the service logs in ${ctx.runDir}/logs)`);
      await db.query('VACUUM ANALYZE');
      const after = await sizes();
      const segments = segmentBytesByTopic(join(ctx.runDir, 'kafka', 'data'));
      const kafkaBytes = [...segments.values()].reduce((a, b) => a + b, 0);
      const perMillion = (bytes: number) => round(((bytes / count) * 1_000_000) / MB, 1);
      const tables = [...after].filter(([, b]) => b > 64 * 1024).sort((a, b) => b[1] - a[1]);
      const postgresBytes = [...after.values()].reduce((a, b) => a + b, 0);
      const rows: Array<[string, string | number]> = [
        ['leads', count],
        ['Postgres, all tables (MB per million leads)', perMillion(postgresBytes)],
        ['Kafka log segments, all topics (MB per million leads)', perMillion(kafkaBytes)],
        ...[...segments].filter(([, b]) => b > 0).map(([topic, bytes]): [string, number] => [`  kafka ${topic} (MB per million leads)`, perMillion(bytes)]),
        ...tables.map(([name, bytes]): [string, number] => [`  ${name} (MB per million leads)`, perMillion(bytes)]),
      ];
      return {
        title: `storage: ${count} leads through the platform at ${rate}/s, scaled to one million`,
        rows,
        json: { leads: count, postgres_mb_per_million: perMillion(postgresBytes), kafka_mb_per_million: perMillion(kafkaBytes), ...Object.fromEntries(tables.map(([n, b]) => [n, perMillion(b)])) },
      };
    } finally {
      await db.end();
    }
  },
};

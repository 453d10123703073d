#!/usr/bin/env node
// The project's command entry point (npm start / npm test / npm run bench).
// Plain JavaScript so it can check prerequisites before anything is installed.
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function fail(message) {
  process.stderr.write(`\n✖ ${message}\n`);
  process.exit(1);
}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' }, ...opts });
  if (r.error) fail(`could not run ${cmd}: ${r.error.message}`);
  return r.status ?? 1;
}

function step(title, cmd, args) {
  process.stdout.write(`\n▶ ${title}\n`);
  const status = sh(cmd, args);
  if (status !== 0) fail(`${title} failed (exit ${status})`);
}

/**
 * The supported runtime is Node.js 24 LTS (the Dockerfile's image uses the same major). On an older
 * Node.js, the command fetches the pinned release once from the npm registry (the official binary as
 * published in the `node-<platform>-<arch>` package the `node` package itself installs) into
 * .cache/node/, and re-executes itself with it; the node binary's folder goes first on PATH so npx,
 * Jest workers and every child process run on it too. LEAD_SLA_NODE=system opts out (the command
 * then runs on this Node.js, which must be at least MIN_NODE); LEAD_SLA_NODE=/path/to/node uses that binary.
 */
const PINNED_NODE = '24.22.3';
const MIN_NODE = [20, 19];
const REEXEC_MARK = 'LEAD_SLA_NODE_REEXEC';

function nodeMajorMinor(version) {
  return version.replace(/^v/, '').split('.').map(Number);
}

/** Returns true when the command was handed over to the pinned Node.js (this process then only waits for it). */
function handOverToPinnedNode() {
  const [major, minor] = nodeMajorMinor(process.version);
  const pinnedMajor = nodeMajorMinor(PINNED_NODE)[0];
  const choice = process.env.LEAD_SLA_NODE ?? '';
  if (major >= pinnedMajor) return false;
  if (process.env[REEXEC_MARK]) fail(`re-ran this command for Node.js ${pinnedMajor} but got ${process.version} (${process.execPath}); point LEAD_SLA_NODE at a Node.js ${pinnedMajor} binary, or set LEAD_SLA_NODE=system.`);
  if (choice === 'system') {
    if (major < MIN_NODE[0] || (major === MIN_NODE[0] && minor < MIN_NODE[1])) fail(`Node.js ${MIN_NODE.join('.')}+ is required (${pinnedMajor} LTS is supported); this is ${process.version}. Unset LEAD_SLA_NODE to let this command fetch Node.js ${PINNED_NODE} from the npm registry.`);
    process.stdout.write(`\n! LEAD_SLA_NODE=system: running on Node.js ${process.version}; the supported runtime is Node.js ${pinnedMajor} LTS.\n`);
    return false;
  }
  const binary = choice || pinnedNodeBinary();
  process.stdout.write(`\n▶ This is Node.js ${process.version}; the supported runtime is Node.js ${pinnedMajor} LTS. Re-running this command with ${binary} (LEAD_SLA_NODE=system keeps ${process.version}).\n`);
  const child = spawn(binary, [__filename, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, [REEXEC_MARK]: '1', PATH: `${path.dirname(binary)}${path.delimiter}${process.env.PATH ?? ''}` },
  });
  // Ctrl-C reaches the child from the terminal itself (same process group): ignore it here and wait for the
  // child's graceful stop. SIGTERM/SIGHUP sent to this process alone are passed on.
  process.on('SIGINT', () => {});
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => fail(`could not run ${binary}: ${error.message}. Install Node.js ${pinnedMajor} LTS, or set LEAD_SLA_NODE=system to run on ${process.version}.`));
  child.on('exit', (code, signal) => {
    if (!signal) process.exit(code ?? 1);
    // A child ended by a signal ends this process the same way.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
  return true;
}

/** The pinned Node.js binary under .cache/node/, installed from the npm registry on first use. */
function pinnedNodeBinary() {
  const platform = { linux: 'linux', darwin: 'darwin', win32: 'win' }[process.platform];
  if (!platform) fail(`no Node.js ${PINNED_NODE} package for ${process.platform} on the npm registry; install Node.js ${nodeMajorMinor(PINNED_NODE)[0]} LTS yourself or set LEAD_SLA_NODE=system.`);
  const pkg = `node-${platform}-${process.arch}`;
  const dir = path.join(root, '.cache/node', `v${PINNED_NODE}-${platform}-${process.arch}`);
  const binary = path.join(dir, 'node_modules', pkg, 'bin', platform === 'win' ? 'node.exe' : 'node');
  if (existsSync(binary)) return binary;
  process.stdout.write(`\n▶ Fetching Node.js ${PINNED_NODE} from the npm registry (${pkg}@${PINNED_NODE}, once, into ${path.relative(root, dir)})\n`);
  // Installed beside the target and renamed into place, so a concurrent or interrupted run never sees half a binary.
  const staging = `${dir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const status = sh('npm', ['install', '--prefix', staging, '--no-save', '--no-package-lock', '--no-audit', '--no-fund', '--ignore-scripts', `${pkg}@${PINNED_NODE}`]);
  if (status !== 0 || !existsSync(path.join(staging, 'node_modules', pkg))) {
    rmSync(staging, { recursive: true, force: true });
    fail(`could not install ${pkg}@${PINNED_NODE} from the npm registry (exit ${status}). Install Node.js ${nodeMajorMinor(PINNED_NODE)[0]} LTS yourself, point LEAD_SLA_NODE at its node binary, or set LEAD_SLA_NODE=system to run on ${process.version}.`);
  }
  try {
    renameSync(staging, dir);
  } catch (error) {
    // Another run installed it first: keep theirs.
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(binary)) fail(`could not move Node.js ${PINNED_NODE} into ${dir}: ${error.message}`);
  }
  if (!existsSync(binary)) fail(`${pkg}@${PINNED_NODE} installed but ${binary} does not exist; install Node.js ${nodeMajorMinor(PINNED_NODE)[0]} LTS yourself or set LEAD_SLA_NODE=system.`);
  return binary;
}

function requireJava() {
  if (process.env.KAFKA_BROKERS) return;
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.error) fail('Java 17+ is required to run the local Kafka broker, but `java` was not found. Install OpenJDK 17 (Debian: `apt-get install -y openjdk-17-jre-headless`) or set KAFKA_BROKERS to an existing Kafka.');
  const m = /version "(\d+)(?:\.(\d+))?/.exec(`${r.stderr}${r.stdout}`);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : NaN;
  if (!(major >= 17)) fail(`Java 17+ is required to run the local Kafka broker; found ${m ? m[0] : 'an unknown version'}.`);
  if (!existsSync(path.join(root, '.cache/kafka-libs'))) {
    const mvn = spawnSync('mvn', ['-v'], { encoding: 'utf8' });
    if (mvn.error) fail('Maven is required once, to download the Kafka broker jars, but `mvn` was not found. Install it (Debian: `apt-get install -y maven`) or set KAFKA_BROKERS to an existing Kafka.');
  }
}

/**
 * Installs dependencies when node_modules is missing or older than the lock
 * file. `npm install` rather than `npm ci`: npm 11 here writes lock files
 * without other platforms' optional binaries (e.g. @swc/core-darwin-arm64),
 * which `npm ci` then rejects as out of sync; `npm install` installs exactly
 * the locked versions and leaves the lock file unchanged.
 */
function ensureDependencies() {
  const lock = path.join(root, 'package-lock.json');
  const stampFile = path.join(root, 'node_modules/.lead-sla-lock-hash');
  const hash = createHash('sha256').update(readFileSync(lock)).digest('hex');
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash) return;
  step('Installing npm dependencies (npm install from package-lock.json)', 'npm', ['install', '--no-audit', '--no-fund']);
  writeFileSync(stampFile, hash);
}

/**
 * The dashboard test drives Debian's chromium (playwright-core with
 * executablePath). Installs it when missing and we are root with apt-get;
 * otherwise stops and says what is missing. CHROMIUM_PATH points elsewhere.
 */
function ensureChromium() {
  const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (existsSync(chromium)) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const aptGet = spawnSync('apt-get', ['--version'], { encoding: 'utf8' });
  if (!root || aptGet.error) {
    fail(`Chromium is required for the dashboard test but ${chromium} does not exist. Install Debian's chromium (as root: \`apt-get update && apt-get install -y chromium\`) or set CHROMIUM_PATH to a Chromium binary.`);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  process.stdout.write('\n▶ Installing Chromium for the dashboard test (apt-get, once)\n');
  for (const args of [['update'], ['install', '-y', 'chromium']]) {
    const status = sh('apt-get', args, { env });
    if (status !== 0) fail(`apt-get ${args.join(' ')} failed (exit ${status}); install chromium by hand or set CHROMIUM_PATH`);
  }
  if (!existsSync(chromium)) fail(`apt-get installed chromium but ${chromium} still does not exist; set CHROMIUM_PATH`);
}

function ensureKafkaJars() {
  if (process.env.KAFKA_BROKERS) return;
  step('Resolving the Kafka broker jars (Maven, once)', process.execPath, [...tsNode(), '-e', 'require("./infra/local/src/kafka-broker").ensureKafkaJars()']);
}

/** Node flags that run TypeScript sources directly (SWC, with decorator metadata). */
function tsNode() {
  return ['--enable-source-maps', '--no-warnings=ExperimentalWarning', '-r', '@swc-node/register'];
}

function runTs(file, args) {
  return sh(process.execPath, [...tsNode(), file, ...args]);
}

/**
 * Runs the local platform in a process group of its own. Ctrl-C in a terminal signals every process of the
 * foreground group at once: services, Kafka and Postgres would all stop together, and the services would fail
 * their last requests against a database that is already gone. Here only this process hears it, and passes it
 * to the platform's main process alone, which stops the demo, then the services, then Kafka and Postgres.
 */
function runPlatform(file, args) {
  const child = spawn(process.execPath, [...tsNode(), file, ...args], {
    cwd: root, stdio: 'inherit', detached: true, env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1' },
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal === 'SIGHUP' ? 'SIGTERM' : signal));
  child.on('error', (error) => fail(`could not start the platform: ${error.message}`));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function run(command, args) {
  switch (command) {
    case 'test': {
      requireJava();
      ensureDependencies();
      ensureKafkaJars();
      ensureChromium();
      step('Project graph (Nx)', 'npx', ['nx', 'show', 'projects']);
      step('Type check (tsc --noEmit)', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
      step('Lint with Nx module boundaries (eslint)', 'npx', ['eslint', '--max-warnings', '0', '.']);
      step('Unit tests (jest: unit)', 'npx', ['jest', '--selectProjects', 'unit', ...args]);
      // --forceExit: kafkajs keeps retry timers alive after disconnect; the global teardown has
      // stopped Kafka and Postgres by then, so nothing is left to wait for.
      // The fault-injection suite (docs/reliability.md) starts its own broker, Postgres and services: 5 to 9 minutes.
      step('Integration, end-to-end and fault-injection tests on real Kafka and Postgres (jest: int, e2e, faults)', 'npx', ['jest', '--selectProjects', 'int', 'e2e', 'faults', '--runInBand', '--forceExit', ...args]);
      process.stdout.write('\n✔ all tests passed\n');
      break;
    }
    case 'platform': {
      requireJava();
      ensureDependencies();
      ensureKafkaJars();
      runPlatform('infra/local/src/platform/platform.main.ts', args);
      break;
    }
    case 'bench': {
      // The what-if scenario runs in memory: no Kafka, so no Java.
      if (args[0] !== 'what-if') requireJava();
      ensureDependencies();
      if (args[0] !== 'what-if') ensureKafkaJars();
      process.exit(runTs('infra/bench/src/bench.main.ts', args));
      break;
    }
    case 'infra': {
      requireJava();
      ensureDependencies();
      ensureKafkaJars();
      process.exit(runTs('infra/local/src/infra.main.ts', args));
      break;
    }
    case 'replay': {
      ensureDependencies();
      const services = ['routing', 'timer', 'disposition', 'reporting'];
      const [service, ...rest] = args;
      if (!services.includes(service)) fail(`usage: npm run replay -- <service> [--keep] [--show-values]   (service: one of ${services.join(', ')})`);
      // Unset, the platform is the one `npm start` runs locally (same ports, same demo policy).
      process.env.KAFKA_BROKERS ??= `127.0.0.1:${process.env.LOCAL_KAFKA_PORT ?? 19092}`;
      process.env.DATABASE_URL ??= `postgres://postgres:postgres@127.0.0.1:${process.env.LOCAL_POSTGRES_PORT ?? 15432}/lead_sla`;
      process.env.POLICY_FILE ??= path.join(root, 'infra/policy/demo.policy.yaml');
      process.exit(runTs(`services/${service}/src/main.ts`, ['replay', ...rest]));
      break;
    }
    case 'dlq': {
      ensureDependencies();
      // Unset, the platform is the one `npm start` runs locally (same ports).
      process.env.KAFKA_BROKERS ??= `127.0.0.1:${process.env.LOCAL_KAFKA_PORT ?? 19092}`;
      process.env.DATABASE_URL ??= `postgres://postgres:postgres@127.0.0.1:${process.env.LOCAL_POSTGRES_PORT ?? 15432}/lead_sla`;
      process.exit(runTs('libs/service-runtime/src/dead-letters/dead-letters.main.ts', args));
      break;
    }
    case 'what-if': {
      ensureDependencies();
      // Unset, the log is the one `npm start` runs locally, and the policy in force is its demo policy.
      process.env.KAFKA_BROKERS ??= `127.0.0.1:${process.env.LOCAL_KAFKA_PORT ?? 19092}`;
      process.env.POLICY_FILE ??= path.join(root, 'infra/policy/demo.policy.yaml');
      process.exit(runTs('libs/what-if/src/cli/what-if.main.ts', args));
      break;
    }
    case 'script': {
      ensureDependencies();
      const [file, ...rest] = args;
      if (!file) fail('usage: node tools/run.js script <file.ts> [args…]');
      process.exit(runTs(file, rest));
      break;
    }
    default:
      fail(`unknown command "${command ?? ''}"; use one of: test, platform, bench, infra, replay, dlq, what-if, script`);
  }
}

const [command, ...args] = process.argv.slice(2);
if (!handOverToPinnedNode()) run(command, args);

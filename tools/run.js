#!/usr/bin/env node
// The project's command entry point (npm start / npm test / npm run bench).
// Plain JavaScript so it can check prerequisites before anything is installed.
'use strict';
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
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

function requireNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) fail(`Node.js 20.19+ is required; this is ${process.version}.`);
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

const [command, ...args] = process.argv.slice(2);
requireNode();
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
    step('Integration and end-to-end tests on real Kafka and Postgres (jest: int, e2e)', 'npx', ['jest', '--selectProjects', 'int', 'e2e', '--runInBand', '--forceExit', ...args]);
    process.stdout.write('\n✔ all tests passed\n');
    break;
  }
  case 'platform': {
    requireJava();
    ensureDependencies();
    ensureKafkaJars();
    process.exit(runTs('infra/local/src/platform/platform.main.ts', args));
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

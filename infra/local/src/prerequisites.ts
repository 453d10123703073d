import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Thrown when something the local infrastructure needs is not installed. */
export class MissingPrerequisiteError extends Error {}

function run(cmd: string, args: string[]): { ok: boolean; output: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error) return { ok: false, output: r.error.message };
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}` };
}

/** Java 17+ runs the Kafka broker. */
export function requireJava17(): void {
  const r = run('java', ['-version']);
  if (!r.ok) {
    throw new MissingPrerequisiteError(
      'Java 17+ is required to run the local Kafka broker, but `java` was not found. ' +
        'Install OpenJDK 17 (Debian: `apt-get install -y openjdk-17-jre-headless`) or set KAFKA_BROKERS to an existing Kafka.',
    );
  }
  const m = /version "(\d+)(?:\.(\d+))?/.exec(r.output);
  const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : NaN;
  if (!(major >= 17)) {
    throw new MissingPrerequisiteError(
      `Java 17+ is required to run the local Kafka broker; found: ${r.output.split('\n')[0]}. ` +
        'Install OpenJDK 17 or set KAFKA_BROKERS to an existing Kafka.',
    );
  }
}

/** Maven resolves the Kafka jars the first time. */
export function requireMaven(): void {
  const r = run('mvn', ['-v']);
  if (!r.ok) {
    throw new MissingPrerequisiteError(
      'Maven is required once, to download the Kafka broker jars, but `mvn` was not found. ' +
        'Install it (Debian: `apt-get install -y maven`) or set KAFKA_BROKERS to an existing Kafka.',
    );
  }
}

/** Where a Chromium for the dashboard's browser tests is looked for: CHROMIUM_PATH, else the Debian package's binaries. */
export function chromiumCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  return env.CHROMIUM_PATH ? [env.CHROMIUM_PATH] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
}

const CHROMIUM_MISSING = (looked: string[]) =>
  `Chromium is required for the dashboard's browser tests (headless Chromium), but none was found at ${looked.join(' or ')}. ` +
  'Install it (Debian/Ubuntu, as root: `apt-get install -y chromium`) or set CHROMIUM_PATH to a Chromium or Chrome binary.';

/** What to do about Chromium (pure): use the one found, install it (root on Debian with apt-get), or say what is missing. */
export function chromiumPlan(facts: { found: string | null; looked: string[]; root: boolean; debian: boolean }): { use: string } | { install: true } | { missing: string } {
  if (facts.found) return { use: facts.found };
  if (facts.root && facts.debian) return { install: true };
  return { missing: CHROMIUM_MISSING(facts.looked) };
}

/** The Chromium binary for browser tests, or a MissingPrerequisiteError saying exactly what to install (never installs). */
export function chromiumExecutable(env: NodeJS.ProcessEnv = process.env): string {
  const looked = chromiumCandidates(env);
  const found = looked.find((p) => existsSync(p));
  if (!found) throw new MissingPrerequisiteError(CHROMIUM_MISSING(looked));
  return found;
}

/**
 * Chromium for the dashboard's browser tests: the one found, else installed
 * with apt-get when running as root on Debian, else an error naming what to
 * install. Returns the binary's path.
 */
export function requireChromium(env: NodeJS.ProcessEnv = process.env): string {
  const looked = chromiumCandidates(env);
  const plan = chromiumPlan({
    found: looked.find((p) => existsSync(p)) ?? null,
    looked,
    root: process.getuid?.() === 0,
    debian: existsSync('/etc/debian_version') && run('apt-get', ['--version']).ok,
  });
  if ('use' in plan) return plan.use;
  if ('missing' in plan) throw new MissingPrerequisiteError(plan.missing);
  const update = run('apt-get', ['update']);
  const install = update.ok ? run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium']) : update;
  if (!install.ok) throw new MissingPrerequisiteError(`installing Chromium with apt-get failed:\n${install.output.slice(-2000)}\n${CHROMIUM_MISSING(looked)}`);
  return chromiumExecutable(env);
}

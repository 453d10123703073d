import { spawnSync } from 'node:child_process';

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

import { mkdirSync, mkdtempSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir, startInfrastructure } from '@lead-sla/local-infra';
import { scenarios } from './scenarios';

function parseArgs(argv: readonly string[]): { name: string | undefined; args: Record<string, string> } {
  const [name, ...rest] = argv;
  const args: Record<string, string> = {};
  for (const a of rest) {
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/i.exec(a);
    if (!m) throw new Error(`unexpected argument "${a}" (use --key=value)`);
    args[m[1]] = m[2] ?? 'true';
  }
  return { name, args };
}

function usage(): string {
  return `usage: npm run bench -- <scenario> [--key=value …]\nscenarios:\n${scenarios.map((s) => `  ${s.name.padEnd(10)} ${s.description}`).join('\n')}`;
}

async function main(): Promise<void> {
  const { name, args } = parseArgs(process.argv.slice(2));
  const scenario = scenarios.find((s) => s.name === name);
  if (!scenario) {
    process.stderr.write(`${name ? `unknown scenario "${name}"\n` : ''}${usage()}\n`);
    process.exit(2);
  }
  mkdirSync(join(cacheDir, 'bench-runs'), { recursive: true });
  const runDir = mkdtempSync(join(cacheDir, 'bench-runs', `${scenario.name}-`));
  chmodSync(runDir, 0o755);
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  process.env.KAFKA_LOG_LEVEL ??= 'nothing';
  const infra = scenario.needsInfrastructure === false ? null : await startInfrastructure({ dir: runDir, log });
  try {
    const result = await scenario.run({ kafkaBrokers: infra?.kafkaBrokers ?? '', databaseUrl: infra?.databaseUrl ?? '', runDir, args, log });
    const width = Math.max(...result.rows.map(([k]) => k.length));
    process.stdout.write(`\n${result.title}\n${'-'.repeat(result.title.length)}\n`);
    for (const [k, v] of result.rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
    process.stdout.write(`${JSON.stringify({ scenario: scenario.name, ...result.json })}\n`);
  } finally {
    await infra?.stop();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);

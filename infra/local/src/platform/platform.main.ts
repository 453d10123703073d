import { join } from 'node:path';
import { createKafka } from '@lead-sla/messaging';
import { startInfrastructure } from '../local-infrastructure';
import { leavePostgresShutdownToCaller } from '../postgres';
import { cacheDir, workspaceRoot } from '../workspace-paths';
import { startPlatform } from './platform-environment';
import { DEMO_CAST, DEMO_DEFAULTS } from './demo-plan';
import { runDemoStream } from './demo-stream';
import { SERVICE_NAMES } from './service-processes';
import { startWhatIfEngine, type RunningWhatIfEngine } from './what-if-process';

/**
 * `npm start`: local Kafka and Postgres (or KAFKA_BROKERS / DATABASE_URL),
 * migrations, every service, and a demo stream of leads.
 * Flags: --no-demo, --leads=N, --interval-ms=N. POLICY_FILE picks the policy.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const demo = !args.includes('--no-demo');
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const dir = join(cacheDir, 'platform');
  const policyFile = process.env.POLICY_FILE ?? join(workspaceRoot, 'infra/policy/demo.policy.yaml');

  log('Starting Kafka and Postgres…');
  const infra = await startInfrastructure({ dir, reuseData: true, kafkaPort: Number(process.env.LOCAL_KAFKA_PORT ?? 19092), postgresPort: Number(process.env.LOCAL_POSTGRES_PORT ?? 15432), log });
  let stopDemo: (() => Promise<void>) | null = null;
  let platform: Awaited<ReturnType<typeof startPlatform>> | null = null;
  let whatIf: RunningWhatIfEngine | null = null;
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return log('Still stopping: the services finish their work, then Kafka and Postgres stop.');
    stopping = true;
    log('\nStopping…');
    await stopDemo?.();
    await platform?.stop();
    await whatIf?.stop();
    await infra.stop();
    log('Stopped: the demo, then the services, then Kafka and Postgres.');
    process.exit(code);
  };
  // Postgres stops last, here, not when the signal arrives (its library would stop it at once and exit).
  leavePostgresShutdownToCaller();
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  // tools/run.js starts this in a process group of its own and passes Ctrl-C on; should it be killed without
  // doing so, stop rather than keep running unseen.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void shutdown(0);
  }, 2000).unref();

  try {
    log(`Migrating and starting ${SERVICE_NAMES.join(', ')} (policy: ${policyFile})…`);
    const ports = Object.fromEntries(SERVICE_NAMES.map((name, i) => [name, Number(process.env[`${name.toUpperCase()}_PORT`] ?? 3001 + i)]));
    // In demo mode the dashboard's viewer is the demo manager (not the all-powerful demo user), so the page shows what a manager sees and may do.
    const demoViewer = (process.env.AUTH_MODE ?? 'demo') === 'demo' ? { AUTH_DEMO_PERSON: process.env.AUTH_DEMO_PERSON ?? DEMO_CAST.viewer } : {};
    // The what-if engine: routing's policy dry-run and the dashboard's what-if page (admins) ask it, with its generated token.
    whatIf = await startWhatIfEngine({ kafkaBrokers: infra.kafkaBrokers, policyFile, port: Number(process.env.WHAT_IF_PORT ?? 3090), logDir: join(dir, 'logs') });
    const whatIfEnv = { WHAT_IF_URL: whatIf.url, WHAT_IF_ADMIN_TOKEN: whatIf.adminToken };
    platform = await startPlatform({
      kafkaBrokers: infra.kafkaBrokers, databaseUrl: infra.databaseUrl, policyFile, logDir: join(dir, 'logs'), ports,
      serviceEnv: { routing: whatIfEnv, reporting: { ...whatIfEnv, ...demoViewer } },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    await shutdown(1);
    return;
  }

  if ((platform.env.AUTH_MODE ?? 'demo') === 'demo') {
    log(`\n!!! DEMO MODE: no identity. The dashboard acts as the demo manager "${platform.envOf('reporting').AUTH_DEMO_PERSON}", every other request as one local admin (AUTH_MODE=demo). For this machine only;`);
    log('!!! to require API keys and sign-in, set AUTH_MODE=enforce and AUTH_ISSUER/AUTH_AUDIENCE (docs/security.md).');
  }
  log('\nThe platform is up:');
  for (const s of Object.values(platform.services)) log(`  ${s.name.padEnd(13)} ${s.url}  (health: ${s.url}/health/ready, log: ${s.logFile})`);
  const reporting = platform.services.reporting.url;
  log(`\n  Dashboard:        ${reporting}/dashboard`);
  log(`  What-if page:     ${reporting}/dashboard/what-if (admins; in demo mode start with AUTH_DEMO_PERSON=revops-admin; engine log: ${whatIf!.logFile})`);
  log(`  A lead's row:     ${reporting}/api/leads/<leadId>`);
  log(`  Kafka:            ${infra.kafkaBrokers} (topic lead-events.v1, dead letters lead-events.v1.dlq)`);
  log(`  Postgres:         ${infra.databaseUrl}`);
  if (demo) {
    const leads = Number(flag('leads') ?? DEMO_DEFAULTS.leads);
    const intervalMs = Number(flag('interval-ms') ?? DEMO_DEFAULTS.intervalMs);
    log(
      `\nPublishing a demo stream of ${leads} leads, one every ${intervalMs / 1000} s: each owner touches twice on two channels inside the clocks` +
        ' (every fifth first touch after the warning) and accepts it; every third lead replies…',
    );
    stopDemo = await runDemoStream(createKafka({ brokers: infra.kafkaBrokers, clientId: 'demo' }), {
      leads,
      intervalMs,
      dispositionUrl: platform.services.disposition.url,
      log,
    });
  }
  log('\nPress Ctrl-C to stop.');
}

main().catch((error) => {
  process.stderr.write(`platform failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});

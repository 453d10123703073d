import { join } from 'node:path';
import { startInfrastructure } from './local-infrastructure';
import { cacheDir } from './workspace-paths';

/**
 * `npm run infra`: only Kafka and Postgres, for running services by hand.
 * With `--dir=<folder> --fresh` (used by the end-to-end harness): a
 * throwaway pair on free ports, whatever KAFKA_BROKERS / DATABASE_URL say,
 * announced as one JSON line on stdout; SIGTERM stops it.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dirArg = args.find((a) => a.startsWith('--dir='))?.slice('--dir='.length);
  const fresh = args.includes('--fresh');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const infra = fresh
    ? await startInfrastructure({ dir: dirArg ?? join(cacheDir, 'fresh'), ignoreEnvironment: true, log })
    : await startInfrastructure({
        dir: dirArg ?? join(cacheDir, 'platform'), reuseData: true,
        kafkaPort: Number(process.env.LOCAL_KAFKA_PORT ?? 19092), postgresPort: Number(process.env.LOCAL_POSTGRES_PORT ?? 15432), log,
      });
  if (fresh) process.stdout.write(`${JSON.stringify({ kafkaBrokers: infra.kafkaBrokers, databaseUrl: infra.databaseUrl })}\n`);
  else process.stdout.write(`\nexport KAFKA_BROKERS=${infra.kafkaBrokers}\nexport DATABASE_URL=${infra.databaseUrl}\n\nPress Ctrl-C to stop.\n`);
  const stop = () => void infra.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`infra failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});

import { join } from 'node:path';
import { startInfrastructure } from './local-infrastructure';
import { cacheDir } from './workspace-paths';

/** `npm run infra`: only Kafka and Postgres, for running services by hand. */
async function main(): Promise<void> {
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const infra = await startInfrastructure({
    dir: join(cacheDir, 'platform'), reuseData: true,
    kafkaPort: Number(process.env.LOCAL_KAFKA_PORT ?? 19092), postgresPort: Number(process.env.LOCAL_POSTGRES_PORT ?? 15432), log,
  });
  log(`\nexport KAFKA_BROKERS=${infra.kafkaBrokers}\nexport DATABASE_URL=${infra.databaseUrl}\n\nPress Ctrl-C to stop.`);
  const stop = () => void infra.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`infra failed: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});

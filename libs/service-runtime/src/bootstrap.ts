import 'reflect-metadata';
import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigError, createLogger, grantServiceRole, runMigrations, userOfDatabaseUrl } from '@lead-sla/platform';
import { PolicyError } from '@lead-sla/policy';
import { loadRuntimeConfig } from './runtime-config';
import { serviceApplication } from './service-config';
import { dataSourceFor } from './service-runtime.module';
import type { ServiceDefinition } from './service-definition';
import { PolicyProvider } from './policy-provider';
import { ServiceMetrics } from './service-metrics';
import { NestLogger } from './nest-logging';
import { describeDifference, showDifferences } from './replay/compare-tables';
import { replayService } from './replay/replay-service';
import { LogHistoryGapError } from '@lead-sla/messaging';

/**
 * Entry point of every service. `<main> migrate` applies the service's
 * migrations and exits (an explicit deployment step); `<main>` (or
 * `<main> serve`) starts it. Configuration and policy errors stop it with
 * a message naming the variable or the place in the policy file. Before
 * serving, ConfigModule validates every setting of the service (common,
 * identity and its own, ServiceDefinition.settings) and every problem is
 * reported at once.
 */
export async function bootstrapService(definition: ServiceDefinition, appModule: Type<unknown>): Promise<void> {
  const logger = createLogger(definition.name);
  try {
    const command = process.argv[2] ?? 'serve';
    const application = command === 'serve' ? await serviceApplication(definition, appModule) : null;
    const config = loadRuntimeConfig();
    if (command === 'migrate') {
      const migrationUrl = config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL;
      const dataSource = dataSourceFor(definition, { ...config, DATABASE_URL: migrationUrl });
      const applied = await runMigrations(dataSource, definition.schema);
      // The service's own role (DATABASE_URL) gets the rows of its schema, never DDL (docs/security.md).
      const serviceRole = userOfDatabaseUrl(config.DATABASE_URL);
      const granted = serviceRole !== userOfDatabaseUrl(migrationUrl);
      if (granted) await grantServiceRole(dataSource, definition.schema, serviceRole);
      await dataSource.destroy();
      logger.info('migrations applied', { schema: definition.schema, applied, ...(granted ? { grantedTo: serviceRole } : {}) });
      return;
    }
    if (command === 'replay') {
      const report = await replayService(definition, appModule, { keep: process.argv.includes('--keep'), log: (line) => process.stdout.write(`${line}\n`) });
      const show = process.argv.includes('--show-values');
      for (const t of report.tables) {
        process.stdout.write(`${describeDifference(t)}\n`);
        if (show) for (const line of showDifferences(t)) process.stdout.write(`${line}\n`);
      }
      process.stdout.write(report.equal ? `replay equals live: ${report.events} events in ${report.seconds.toFixed(1)} s\n` : 'replay DIFFERS from live (see above)\n');
      if (report.grewBy > 0) {
        process.stdout.write(`note: ${report.grewBy} events were appended to the log while the replay ran; the live tables may already hold their effects. Compare at a quiet point (no new events, consumers caught up) for an exact answer.\n`);
      }
      process.exit(report.equal ? 0 : 1);
    }
    if (!application) throw new Error(`unknown command "${command}" (use "serve", "migrate" or "replay")`);
    PolicyProvider.load(config.POLICY_FILE); // fail fast, before connecting anywhere
    // Nest's messages wait for the service's pino logger (nestjs-pino); a failed start is logged below, as JSON.
    const app = await NestFactory.create(application, { bufferLogs: true, autoFlushLogs: false, abortOnError: false, bodyParser: definition.bodyParser ?? true });
    app.useLogger(app.get(NestLogger));
    app.flushLogs();
    // useProcessExit: after the hooks (the in-flight batch committed) exit 0 rather than re-raise the signal (exit 143).
    app.enableShutdownHooks(undefined, { useProcessExit: true });
    // Before routes are registered (listen), so every request is timed.
    app.use(app.get(ServiceMetrics).httpMiddleware());
    const port = config.PORT ?? definition.defaultPort;
    await app.listen(port, process.env.HOST ?? '0.0.0.0');
    logger.info('service started', { port, url: await app.getUrl() });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof PolicyError || error instanceof LogHistoryGapError) {
      process.stderr.write(`${definition.name}: ${error.message}\n`);
    } else {
      logger.error('service failed to start', { error: (error as Error).stack ?? String(error) });
    }
    process.exit(1);
  }
}

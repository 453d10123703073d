import { readFileSync } from 'node:fs';
import { Global, Module, type DynamicModule, type OnModuleDestroy } from '@nestjs/common';
import { APP_GUARD, ModuleRef } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { AccessControl, AccessGuard, ApiKeyGrantsRepository, AUTH_POLICY, Authenticator, authSettings, JwtVerifier, type AuthConfig } from '@lead-sla/auth';
import type { DataSource } from 'typeorm';
import { createKafka, OutboxWriter, PolicyLog } from '@lead-sla/messaging';
import { createDataSource, createPinoLogger, loggerPort, systemClock, type Clock, type Logger } from '@lead-sla/platform';
import type { Logger as Pino } from 'pino';
import { DECISION_CLOCK, decisionClockFor } from './replay/decision-clock';
import { offsetClock } from './fault-clock';
import { HealthController } from './health.controller';
import { RuntimeHealthIndicators } from './health-indicators';
import { MetricsController } from './metrics.controller';
import { ServiceMetrics } from './service-metrics';
import { MessagingLifecycle } from './messaging-lifecycle';
import { PolicyProvider } from './policy-provider';
import { databaseSsl, type RuntimeConfig } from './runtime-config';
import { commonSettings, configValues } from './service-config';
import { SERVICE_DEFINITION, type ServiceDefinition } from './service-definition';
import { CLOCK, DATA_SOURCE, KAFKA, LOGGER, PINO_LOGGER, RUNTIME_CONFIG } from './tokens';
import { NestLogger, nestLoggingModule } from './nest-logging';

export function dataSourceFor(definition: ServiceDefinition, config: RuntimeConfig): DataSource {
  return createDataSource({
    url: config.DATABASE_URL,
    schema: definition.schema,
    migrations: definition.migrations,
    applicationName: `lead-sla-${definition.name}`,
    poolSize: config.DATABASE_POOL_SIZE,
    timeouts: {
      statementMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
      lockMs: config.DATABASE_LOCK_TIMEOUT_MS,
      idleInTransactionMs: config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
    ssl: databaseSsl(config, (f) => readFileSync(f, 'utf8')),
    preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
  });
}

function authenticatorFor(definition: ServiceDefinition, config: AuthConfig, dataSource: DataSource, policies: PolicyProvider, logger: Logger): Authenticator {
  if (config.AUTH_MODE === 'demo') {
    logger.warn(`DEMO MODE — NO IDENTITY: AUTH_MODE=demo lets anyone who reaches ${definition.name} act as an admin. Use it only for the local \`npm start\` demo; never expose it.`);
  } else if (!config.AUTH_ISSUER) {
    logger.info('identity: API keys only (no AUTH_ISSUER, so people cannot sign in with tokens)');
  }
  const jwt = config.AUTH_ISSUER
    ? new JwtVerifier({ issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE!, jwksUrl: config.AUTH_JWKS_URL, clockToleranceSeconds: config.AUTH_CLOCK_TOLERANCE_SECONDS })
    : null;
  // The dashboard's session is the ID token of its sign-in: same issuer and keys, the dashboard client as audience.
  const session =
    config.AUTH_ISSUER && config.AUTH_DASHBOARD_CLIENT_ID
      ? new JwtVerifier({ issuer: config.AUTH_ISSUER, audience: config.AUTH_DASHBOARD_CLIENT_ID, jwksUrl: config.AUTH_JWKS_URL, clockToleranceSeconds: config.AUTH_CLOCK_TOLERANCE_SECONDS })
      : null;
  return new Authenticator(config, new ApiKeyGrantsRepository(dataSource), jwt, () => policies.current(), () => performance.now(), session);
}

/** What every service gets: config, logger, clock, policy, Postgres, Kafka, relay, consumer, health. */
@Global()
@Module({})
export class ServiceRuntimeModule implements OnModuleDestroy {
  constructor(private readonly moduleRef: ModuleRef) {}

  onModuleDestroy(): void {
    this.moduleRef.get(PolicyProvider, { strict: false }).close();
  }

  static forRoot(definition: ServiceDefinition): DynamicModule {
    return {
      module: ServiceRuntimeModule,
      // Terminus logs a failing check itself; the 503 body names the indicator, so its own log stays off.
      imports: [TerminusModule.forRoot({ logger: false }), nestLoggingModule()],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: SERVICE_DEFINITION, useValue: definition },
        // Validated by ConfigModule when the app was created (serviceApplication).
        { provide: RUNTIME_CONFIG, useFactory: (config: ConfigService): RuntimeConfig => configValues(config, commonSettings), inject: [ConfigService] },
        { provide: PINO_LOGGER, useFactory: (c: RuntimeConfig) => createPinoLogger(definition.name, c.LOG_LEVEL), inject: [RUNTIME_CONFIG] },
        { provide: LOGGER, useFactory: (pino: Pino) => loggerPort(pino), inject: [PINO_LOGGER] },
        NestLogger,
        {
          provide: CLOCK,
          useFactory: (c: RuntimeConfig, logger: Logger): Clock => (c.FAULT_CLOCK_OFFSET_FILE ? offsetClock(c.FAULT_CLOCK_OFFSET_FILE, logger) : systemClock),
          inject: [RUNTIME_CONFIG, LOGGER],
        },
        { provide: DECISION_CLOCK, useFactory: (clock: Clock) => decisionClockFor(clock), inject: [CLOCK] },
        {
          // The file is the bootstrap; versions published on the log take over (PolicyLog). Only routing watches the file.
          provide: PolicyProvider,
          useFactory: (c: RuntimeConfig, logger: Logger) => new PolicyProvider(c.POLICY_FILE, logger),
          inject: [RUNTIME_CONFIG, LOGGER],
        },
        {
          provide: PolicyLog,
          useFactory: (policies: PolicyProvider) => new PolicyLog(definition.schema, () => policies.bootstrap(), (p) => policies.adopt(p)),
          inject: [PolicyProvider],
        },
        {
          provide: DATA_SOURCE,
          useFactory: async (c: RuntimeConfig) => dataSourceFor(definition, c).initialize(),
          inject: [RUNTIME_CONFIG],
        },
        {
          provide: KAFKA,
          useFactory: (c: RuntimeConfig) =>
            createKafka({
              brokers: c.KAFKA_BROKERS,
              clientId: c.KAFKA_CLIENT_ID ?? `lead-sla-${definition.name}`,
              ssl: c.KAFKA_SSL,
              sslCaFile: c.KAFKA_SSL_CA_FILE,
              saslMechanism: c.KAFKA_SASL_MECHANISM,
              saslUsername: c.KAFKA_SASL_USERNAME,
              saslPassword: c.KAFKA_SASL_PASSWORD,
            }),
          inject: [RUNTIME_CONFIG],
        },
        { provide: ServiceMetrics, useFactory: () => new ServiceMetrics(definition.name) },
        { provide: AUTH_POLICY, useFactory: (policies: PolicyProvider) => () => policies.current(), inject: [PolicyProvider] },
        {
          provide: Authenticator,
          useFactory: (config: ConfigService, dataSource: DataSource, policies: PolicyProvider, logger: Logger) =>
            authenticatorFor(definition, configValues(config, authSettings), dataSource, policies, logger),
          inject: [ConfigService, DATA_SOURCE, PolicyProvider, LOGGER],
        },
        AccessControl,
        // Every route of every service passes the one guard (docs/security.md).
        { provide: APP_GUARD, useClass: AccessGuard },
        MessagingLifecycle,
        RuntimeHealthIndicators,
        {
          // The one outbox writer of code outside the consumer (HTTP commands, schedulers, ingest).
          provide: OutboxWriter,
          useFactory: (dataSource: DataSource, messaging: MessagingLifecycle) => new OutboxWriter(dataSource, definition.schema, () => messaging.relay.kick()),
          inject: [DATA_SOURCE, MessagingLifecycle],
        },
      ],
      exports: [SERVICE_DEFINITION, RUNTIME_CONFIG, PINO_LOGGER, LOGGER, NestLogger, CLOCK, DECISION_CLOCK, PolicyProvider, PolicyLog, DATA_SOURCE, KAFKA, MessagingLifecycle, ServiceMetrics, OutboxWriter, Authenticator, AccessControl, AUTH_POLICY],
    };
  }
}

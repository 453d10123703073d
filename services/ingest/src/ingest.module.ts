import { Module, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import type { PruneTask } from '@lead-sla/messaging';
import { ConfigService } from '@nestjs/config';
import { configValues, openApiController, openApiDocumentProvider, RETENTION_TASKS, type ServiceDefinition, ServiceRuntimeModule } from '@lead-sla/service-runtime';
import { AcceptEventService } from './accept-event/accept-event.service';
import { AcceptedEventsRepository } from './accept-event/accepted-events.repository';
import { EventsController } from './accept-event/events.controller';
import { IdempotencyPruner } from './accept-event/idempotency-pruner';
import { AdminBootstrap } from './api-keys/admin-bootstrap';
import { ApiKeyAuthenticator, MONOTONIC_CLOCK } from './api-keys/api-key.authenticator';
import { ApiKeyGuard } from './api-keys/api-key.guard';
import { ApiKeyMiddleware } from './api-keys/api-key.middleware';
import { ApiKeyRepository } from './api-keys/api-key.repository';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { monotonicNow } from './api-keys/token-bucket';
import { JsonBodyMiddleware } from './http/json-body.middleware';
import { INGEST_CONFIG, ingestSettings } from './ingest-config';
import { ingestMigrations } from './migrations';
import { ingestApi } from './openapi/ingest-api';

/**
 * A thin edge: no consumer (no EVENT_HANDLER), its own outbox in schema
 * `ingest` published by the runtime's relay. Nest's body parser is off:
 * JsonBodyMiddleware enforces INGEST_MAX_BODY_BYTES with JSON errors,
 * after ApiKeyMiddleware has authenticated the caller.
 */
export const ingestService: ServiceDefinition = { name: 'ingest', schema: 'ingest', migrations: ingestMigrations, defaultPort: 3005, bodyParser: false, settings: [ingestSettings] };

@Module({
  imports: [ServiceRuntimeModule.forRoot(ingestService)],
  controllers: [EventsController, ApiKeysController, openApiController()],
  providers: [
    { provide: INGEST_CONFIG, useFactory: (config: ConfigService) => configValues(config, ingestSettings), inject: [ConfigService] },
    // Rate limits read a clock that a wall-clock step cannot move (token-bucket.ts).
    { provide: MONOTONIC_CLOCK, useValue: monotonicNow },
    ApiKeyRepository,
    AcceptedEventsRepository,
    {
      provide: RETENTION_TASKS,
      inject: [AcceptedEventsRepository],
      useFactory: (accepted: AcceptedEventsRepository): PruneTask[] => [{ table: 'ingest.accepted_events', prune: (before, limit) => accepted.pruneAccepted(before, limit) }],
    },
    ApiKeyAuthenticator,
    ApiKeyGuard,
    AcceptEventService,
    AdminBootstrap,
    IdempotencyPruner,
    openApiDocumentProvider(() => IngestModule, ingestApi),
  ],
})
export class IngestModule implements NestModule {
  configure(consumer: MiddlewareConsumer): void {
    // Credentials before the body: an unauthenticated request is refused unread.
    consumer.apply(ApiKeyMiddleware, JsonBodyMiddleware).forRoutes(EventsController, ApiKeysController);
  }
}

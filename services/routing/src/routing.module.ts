import { Module } from '@nestjs/common';
import { EVENT_HANDLER, ServiceRuntimeModule, type ServiceDefinition } from '@lead-sla/service-runtime';
import { RoutingEventHandler } from './assign-lead/lead-created.handler';
import { routingMigrations } from './migrations';

export const routingService: ServiceDefinition = { name: 'routing', schema: 'routing', migrations: routingMigrations, defaultPort: 3001 };

@Module({
  imports: [ServiceRuntimeModule.forRoot(routingService)],
  providers: [{ provide: EVENT_HANDLER, useClass: RoutingEventHandler }],
})
export class RoutingModule {}

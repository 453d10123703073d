import { Module } from '@nestjs/common';
import { EVENT_HANDLER, ServiceRuntimeModule, type ServiceDefinition } from '@lead-sla/service-runtime';
import { AssignmentExplanationController } from './explain-assignment/assignment-explanation.controller';
import { routingMigrations } from './migrations';
import { ReinstateRepController } from './reinstate-rep/reinstate-rep.controller';
import { RoutingEngine } from './route-event/routing-engine.service';
import { RoutingEventHandler } from './route-event/routing-event.handler';

export const routingService: ServiceDefinition = { name: 'routing', schema: 'routing', migrations: routingMigrations, defaultPort: 3001 };

@Module({
  imports: [ServiceRuntimeModule.forRoot(routingService)],
  controllers: [AssignmentExplanationController, ReinstateRepController],
  providers: [RoutingEngine, { provide: EVENT_HANDLER, useClass: RoutingEventHandler }],
})
export class RoutingModule {}

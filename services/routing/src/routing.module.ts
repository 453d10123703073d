import { Module } from '@nestjs/common';
import { provideDecider, ServiceRuntimeModule, type ServiceDefinition } from '@lead-sla/service-runtime';
import { AssignmentExplanationController } from './explain-assignment/assignment-explanation.controller';
import { routingMigrations } from './migrations';
import { ReinstateRepController } from './reinstate-rep/reinstate-rep.controller';
import { RoutingDeciderService } from './route-event/routing-decider.service';
import { RoutingStateRepository } from './route-event/routing-state.repository';

export const routingService: ServiceDefinition = { name: 'routing', schema: 'routing', migrations: routingMigrations, defaultPort: 3001 };

@Module({
  imports: [ServiceRuntimeModule.forRoot(routingService)],
  controllers: [AssignmentExplanationController, ReinstateRepController],
  providers: [
    { provide: RoutingStateRepository, useFactory: () => new RoutingStateRepository(routingService.schema) },
    RoutingDeciderService,
    provideDecider(RoutingDeciderService),
  ],
})
export class RoutingModule {}

import { RepAvailabilityController } from './rep-availability/rep-availability.controller';
import { Module } from '@nestjs/common';
import { openApiDocumentProvider, provideDecider, ServiceRuntimeModule, type ServiceDefinition } from '@lead-sla/service-runtime';
import { AssignmentExplanationController } from './explain-assignment/assignment-explanation.controller';
import { ReassignLeadController } from './manager-reassignment/reassign-lead.controller';
import { routingMigrations } from './migrations';
import { OpenApiController } from './openapi/openapi.controller';
import { routingApi } from './openapi/routing-api';
import { ReinstateRepController } from './reinstate-rep/reinstate-rep.controller';
import { RoutingDeciderService } from './route-event/routing-decider.service';
import { RoutingStateRepository } from './route-event/routing-state.repository';
import { QueueWakeUpScheduler } from './unassigned-queue/queue-wake-up.scheduler';
import { PolicyController } from './publish-policy/policy.controller';
import { PolicyPublicationsRepository } from './publish-policy/policy-publications.repository';
import { PolicyPublishingService } from './publish-policy/policy-publishing.service';
import { WhatIfEffectClient, whatIfEffectSettings } from './publish-policy/what-if-effect.client';

export const routingService: ServiceDefinition = {
  name: 'routing',
  schema: 'routing',
  migrations: routingMigrations,
  defaultPort: 3001,
  // updated_at: when a row was written. seq only orders the queue (queued_at is the state).
  stateTables: [
    { table: 'routing.reps', key: ['rep_id'], ignore: ['updated_at'] },
    { table: 'routing.pools', key: ['pool_id'], ignore: ['updated_at'] },
    { table: 'routing.leads', key: ['lead_id'], ignore: ['updated_at'] },
    { table: 'routing.account_owners', key: ['account_domain'], ignore: [] },
    { table: 'routing.unassigned_queue', key: ['lead_id'], ignore: ['seq'] },
    { table: 'routing.suppressed_contacts', key: ['contact_key'], ignore: [] },
  ],
};

@Module({
  imports: [ServiceRuntimeModule.forRoot(routingService)],
  controllers: [AssignmentExplanationController, ReinstateRepController, RepAvailabilityController, ReassignLeadController, PolicyController, OpenApiController],
  providers: [
    { provide: RoutingStateRepository, useFactory: () => new RoutingStateRepository(routingService.schema) },
    { provide: PolicyPublicationsRepository, useFactory: () => new PolicyPublicationsRepository(routingService.schema) },
    PolicyPublishingService,
    { provide: WhatIfEffectClient, useFactory: () => new WhatIfEffectClient(whatIfEffectSettings(process.env)) },
    QueueWakeUpScheduler,
    RoutingDeciderService,
    provideDecider(RoutingDeciderService),
    openApiDocumentProvider(() => RoutingModule, routingApi),
  ],
})
export class RoutingModule {}

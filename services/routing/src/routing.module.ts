import { RepAvailabilityController } from './rep-availability/rep-availability.controller';
import { Module } from '@nestjs/common';
import { z } from 'zod';
import { envSettings } from '@lead-sla/platform';
import { openApiController, openApiDocumentProvider, provideDecider, type ServiceDefinition, ServiceRuntimeModule } from '@lead-sla/service-runtime';
import { AssignmentExplanationController } from './explain-assignment/assignment-explanation.controller';
import { ReassignLeadController } from './manager-reassignment/reassign-lead.controller';
import { routingMigrations } from './migrations';
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
  // Read by the what-if client and the wake-up scheduler; validated here with every other setting.
  settings: [
    envSettings({
      WHAT_IF_URL: z.url({ message: 'must be the what-if engine\'s base URL, e.g. http://what-if:3090' }).optional(),
      WHAT_IF_ADMIN_TOKEN: z.string().min(16, 'must be the what-if engine\'s WHAT_IF_ADMIN_TOKEN (at least 16 characters)').optional(),
      WHAT_IF_TIMEOUT_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().positive().optional(),
      ROUTING_WAKE_UP_HORIZON_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().positive().optional(),
    }),
  ],
  // updated_at: when a row was written. seq only orders the queue (queued_at is the state).
  // A rep or pool row with only its defaults (a fresh rep, a pool without a pointer) is the same state as no row: a batch
  // creates the rows it locks, so live and a replay may hold different sets of them.
  stateTables: [
    {
      table: 'routing.reps',
      key: ['rep_id'],
      ignore: ['updated_at'],
      where: `NOT (available AND pto = '[]'::jsonb AND shift_override IS NULL AND in_rotation AND open_awaiting_first_touch = 0 AND misses = '[]'::jsonb AND misses_cleared_at IS NULL)`,
    },
    { table: 'routing.pools', key: ['pool_id'], ignore: ['updated_at'], where: 'last_assigned_rep_id IS NOT NULL OR last_assigned_at IS NOT NULL' },
    { table: 'routing.leads', key: ['lead_id'], ignore: ['updated_at'] },
    { table: 'routing.account_owners', key: ['account_domain'], ignore: [] },
    { table: 'routing.unassigned_queue', key: ['lead_id'], ignore: ['seq'] },
    { table: 'routing.suppressed_contacts', key: ['contact_key'], ignore: [] },
  ],
};

@Module({
  imports: [ServiceRuntimeModule.forRoot(routingService)],
  controllers: [AssignmentExplanationController, ReinstateRepController, RepAvailabilityController, ReassignLeadController, PolicyController, openApiController()],
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

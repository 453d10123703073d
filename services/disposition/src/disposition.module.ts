import { Module } from '@nestjs/common';
import { z } from 'zod';
import { envSettings } from '@lead-sla/platform';
import { openApiController, openApiDocumentProvider, provideDecider, type ServiceDefinition, ServiceRuntimeModule } from '@lead-sla/service-runtime';
import { DispositionDeciderService } from './apply-lead-event/disposition-decider.service';
import { ContactStateRepository } from './contact-state/contact-state.repository';
import { SalDecisionsController } from './funnel-stage/sal-decisions.controller';
import { dispositionMigrations } from './migrations';
import { LeadCommandPublisher } from './publish-command/lead-command.publisher';
import { DispositionsController } from './record-disposition/dispositions.controller';
import { RequalifyScheduler } from './recycle-lead/requalify.scheduler';
import { dispositionApi } from './openapi/disposition-api';

export const dispositionService: ServiceDefinition = {
  name: 'disposition',
  schema: 'disposition',
  migrations: dispositionMigrations,
  defaultPort: 3003,
  // Read by the re-qualification scheduler; validated here with every other setting.
  settings: [envSettings({ DISPOSITION_REQUALIFY_HORIZON_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().positive().optional() })],
  // http_commands is the HTTP edge's idempotency record, not state derived from the log.
  stateTables: [
    { table: 'disposition.contacts', key: ['contact_key'], ignore: ['updated_at'] },
    { table: 'disposition.lead_contacts', key: ['lead_id'] },
    // trace_context is telemetry (the span the recycle was decided in), which no rebuild can reproduce.
    { table: 'disposition.requalify_due', key: ['recycled_event_id'], ignore: ['created_at', 'settled_at', 'trace_context'], where: "status = 'pending'" },
  ],
};

@Module({
  imports: [ServiceRuntimeModule.forRoot(dispositionService)],
  controllers: [DispositionsController, SalDecisionsController, openApiController()],
  providers: [ContactStateRepository, RequalifyScheduler, LeadCommandPublisher, DispositionDeciderService, provideDecider(DispositionDeciderService), openApiDocumentProvider(() => DispositionModule, dispositionApi)],
})
export class DispositionModule {}

import { Module } from '@nestjs/common';
import { EVENT_HANDLER, ServiceRuntimeModule, type ServiceDefinition } from '@lead-sla/service-runtime';
import { DispositionEventHandler } from './apply-lead-event/disposition-event.handler';
import { ContactStateRepository } from './contact-state/contact-state.repository';
import { SalDecisionsController } from './funnel-stage/sal-decisions.controller';
import { dispositionMigrations } from './migrations';
import { LeadCommandPublisher } from './publish-command/lead-command.publisher';
import { DispositionsController } from './record-disposition/dispositions.controller';
import { RequalifyScheduler } from './recycle-lead/requalify.scheduler';

export const dispositionService: ServiceDefinition = { name: 'disposition', schema: 'disposition', migrations: dispositionMigrations, defaultPort: 3003 };

@Module({
  imports: [ServiceRuntimeModule.forRoot(dispositionService)],
  controllers: [DispositionsController, SalDecisionsController],
  providers: [
    ContactStateRepository,
    RequalifyScheduler,
    LeadCommandPublisher,
    { provide: EVENT_HANDLER, useClass: DispositionEventHandler },
  ],
})
export class DispositionModule {}

import { Module } from '@nestjs/common';
import { EVENT_HANDLER, ServiceRuntimeModule, type ServiceDefinition } from '@lead-sla/service-runtime';
import { LeadRowHandler } from './lead-timeline/lead-row.handler';
import { LeadsController } from './lead-timeline/leads.controller';
import { reportingMigrations } from './migrations';

export const reportingService: ServiceDefinition = { name: 'reporting', schema: 'reporting', migrations: reportingMigrations, defaultPort: 3004 };

@Module({
  imports: [ServiceRuntimeModule.forRoot(reportingService)],
  controllers: [LeadsController],
  providers: [{ provide: EVENT_HANDLER, useClass: LeadRowHandler }],
})
export class ReportingModule {}

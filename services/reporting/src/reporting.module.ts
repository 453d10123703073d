import { Module } from '@nestjs/common';
import { ServiceRuntimeModule, type ServiceDefinition } from '@lead-sla/service-runtime';
import { BoardNotices } from './board/board-notices.service';
import { BoardController } from './board/board.controller';
import { DashboardController } from './dashboard/dashboard.controller';
import { ReportingQueries } from './http/reporting-queries.repository';
import { LeadsController } from './lead-timeline/leads.controller';
import { reportingMigrations } from './migrations';
import { MissedSlaController } from './missed-sla/missed-sla.controller';
import { OpenApiController } from './openapi/openapi.controller';
import { ReportingConsumerLifecycle } from './project-events/reporting-consumer.lifecycle';
import { ScorecardsController } from './scorecards/scorecards.controller';

export const reportingService: ServiceDefinition = { name: 'reporting', schema: 'reporting', migrations: reportingMigrations, defaultPort: 3004 };

/**
 * Reporting binds no EVENT_HANDLER: ReportingConsumerLifecycle runs the
 * batched projection consumer itself (the runtime still runs the relay).
 */
@Module({
  imports: [ServiceRuntimeModule.forRoot(reportingService)],
  controllers: [LeadsController, BoardController, ScorecardsController, MissedSlaController, OpenApiController, DashboardController],
  providers: [ReportingQueries, BoardNotices, ReportingConsumerLifecycle],
})
export class ReportingModule {}

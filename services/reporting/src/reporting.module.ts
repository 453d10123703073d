import { Module } from '@nestjs/common';
import { EVENT_HANDLER, ServiceRuntimeModule, type ServiceDefinition } from '@lead-sla/service-runtime';
import { BoardNotices } from './board/board-notices.service';
import { BoardController } from './board/board.controller';
import { DashboardController } from './dashboard/dashboard.controller';
import { ReportingQueries } from './http/reporting-queries.repository';
import { LeadsController } from './lead-timeline/leads.controller';
import { reportingMigrations } from './migrations';
import { MissedSlaController } from './missed-sla/missed-sla.controller';
import { OpenApiController } from './openapi/openapi.controller';
import { ReportingProjectionHandler } from './project-events/reporting-projection.handler';
import { ScorecardsController } from './scorecards/scorecards.controller';

export const reportingService: ServiceDefinition = { name: 'reporting', schema: 'reporting', migrations: reportingMigrations, defaultPort: 3004 };

/** Reporting applies every event type, in batches (ReportingProjectionHandler.handleBatch). */
@Module({
  imports: [ServiceRuntimeModule.forRoot(reportingService)],
  controllers: [LeadsController, BoardController, ScorecardsController, MissedSlaController, OpenApiController, DashboardController],
  providers: [ReportingQueries, BoardNotices, { provide: EVENT_HANDLER, useClass: ReportingProjectionHandler }],
})
export class ReportingModule {}

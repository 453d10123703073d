import { PolicyHistoryController } from './policy-history/policy-history.controller';
import { Module } from '@nestjs/common';
import { openApiController, openApiDocumentProvider, provideDecider, type ServiceDefinition, ServiceRuntimeModule } from '@lead-sla/service-runtime';
import { BoardNotices } from './board/board-notices.service';
import { BoardController } from './board/board.controller';
import { DigestsController } from './digests/digests.controller';
import { DashboardActionsController, dashboardActionsSettings } from './dashboard/dashboard-actions.controller';
import { DashboardController } from './dashboard/dashboard.controller';
import { MeController } from './dashboard/me.controller';
import { OpenClocksController } from './dashboard/open-clocks.controller';
import { SignInController } from './dashboard/sign-in.controller';
import { WhatIfController } from './dashboard/what-if.controller';
import { whatIfRelaySettings } from './dashboard/what-if-relay';
import { ReportingQueries } from './http/reporting-queries.repository';
import { LeadsController } from './lead-timeline/leads.controller';
import { reportingMigrations } from './migrations';
import { MissedSlaController } from './missed-sla/missed-sla.controller';
import { reportingApi } from './openapi/reporting-api';
import { ProjectionStore } from './project-events/projection-store.repository';
import { ReportingDeciderService } from './project-events/reporting-decider.service';
import { RepsOutOfRotationController } from './reps-out-of-rotation/reps-out-of-rotation.controller';
import { ScorecardsController } from './scorecards/scorecards.controller';
import { CELL_TABLE_NAMES, CELL_TABLES } from './projections/scorecard-cells.projection';

export const reportingService: ServiceDefinition = {
  name: 'reporting',
  schema: 'reporting',
  migrations: reportingMigrations,
  defaultPort: 3004,
  latencyTolerant: true,
  settings: [dashboardActionsSettings, whatIfRelaySettings],
  stateTables: [
    { table: 'reporting.lead_rows', key: ['lead_id'], ignore: ['updated_at'] },
    { table: 'reporting.clock_instances', key: ['clock_id'] },
    { table: 'reporting.breach_rows', key: ['breach_key'] },
    { table: 'reporting.board_rows', key: ['lead_id'] },
    { table: 'reporting.rep_rotation', key: ['rep_id'] },
    { table: 'reporting.policy_versions', key: ['version'] },
    ...CELL_TABLE_NAMES.map((t) => ({ table: `reporting.${t}`, key: CELL_TABLES[t].key, where: CELL_TABLES[t].present })),
  ],
};

/** Reporting applies every event type, in batches, through the service kit (ReportingDeciderService). */
@Module({
  imports: [ServiceRuntimeModule.forRoot(reportingService)],
  controllers: [LeadsController, BoardController, ScorecardsController, MissedSlaController, DigestsController, RepsOutOfRotationController, PolicyHistoryController, openApiController('api'), DashboardController, SignInController, MeController, OpenClocksController, DashboardActionsController, WhatIfController],
  providers: [ReportingQueries, BoardNotices, ProjectionStore, ReportingDeciderService, provideDecider(ReportingDeciderService), openApiDocumentProvider(() => ReportingModule, reportingApi)],
})
export class ReportingModule {}

import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { inTransaction } from '@lead-sla/platform';
import { DATA_SOURCE } from '@lead-sla/service-runtime';
import { RoutingEngine } from '../route-event/routing-engine.service';
import { explainAssignment, type DecisionRecord } from './assignment-explanation.util';

/** GET /api/leads/:leadId/assignment-explanation — "why was lead X assigned to Y". */
@Controller('api/leads')
export class AssignmentExplanationController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly engine: RoutingEngine,
  ) {}

  @Get(':leadId/assignment-explanation')
  async explain(@Param('leadId') leadId: string) {
    // The lead row carries its own decision log, so one read answers.
    const rows = await inTransaction(this.dataSource, (tx) => this.engine.repository.explanationRows(tx, leadId));
    if (!rows) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `routing has no lead "${leadId}" (not created yet, or not consumed yet)` });
    return explainAssignment(leadId, rows.status, rows.state, rows.decisions as DecisionRecord[], rows.queuedAt);
  }
}

import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { inTransaction } from '@lead-sla/platform';
import { DATA_SOURCE } from '@lead-sla/service-runtime';
import { RoutingEngine } from '../route-event/routing-engine.service';
import { explainAssignment } from './assignment-explanation.util';

/** GET /api/leads/:leadId/assignment-explanation — "why was lead X assigned to Y". */
@Controller('api/leads')
export class AssignmentExplanationController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly engine: RoutingEngine,
  ) {}

  @Get(':leadId/assignment-explanation')
  async explain(@Param('leadId') leadId: string) {
    // One read-only snapshot, so the lead row and its decisions agree.
    const rows = await inTransaction(this.dataSource, (tx) => this.engine.repository.explanationRows(tx, leadId));
    if (!rows) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `routing has no lead "${leadId}" (not created yet, or not consumed yet)` });
    const decisions = rows.decisions.map((d) => ({
      kind: d.kind,
      eventId: d.event_id,
      causeType: d.cause_type,
      causeEventId: d.cause_event_id,
      decidedAt: new Date(d.decided_at).toISOString(),
      data: d.data,
    }));
    return explainAssignment(leadId, rows.lead.status, rows.lead.state, decisions, rows.queuedAt);
  }
}

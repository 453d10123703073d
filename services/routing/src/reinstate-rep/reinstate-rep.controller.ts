import { randomUUID } from 'node:crypto';
import { BadRequestException, Body, Controller, HttpCode, Inject, NotFoundException, Param, Post } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { EventCatalogue, type LeadEvent } from '@lead-sla/contracts';
import { currentTraceHeaders, insertOutboxRows, outboxRowForEvent } from '@lead-sla/messaging';
import { inTransaction, type Clock } from '@lead-sla/platform';
import { CLOCK, DATA_SOURCE, MessagingLifecycle, PolicyProvider } from '@lead-sla/service-runtime';
import { RoutingEngine } from '../route-event/routing-engine.service';
import { parseReinstateRequest } from './reinstate-request.schema';

/**
 * POST /api/reps/:repId/reinstate — a manager puts a rep back into
 * rotation. Decided like the RepReinstated event (same engine, same
 * locks), and the resulting RepRotationChanged (plus any queued leads the
 * rep can now take) goes out through the outbox in the same transaction.
 */
@Controller('api/reps')
export class ReinstateRepController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly policies: PolicyProvider,
    private readonly engine: RoutingEngine,
    private readonly messaging: MessagingLifecycle,
  ) {}

  @Post(':repId/reinstate')
  @HttpCode(200)
  async reinstate(@Param('repId') repId: string, @Body() body: unknown) {
    const parsed = parseReinstateRequest(body);
    if (!parsed.ok) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `invalid reinstate request: ${parsed.problems.join('; ')}`, problems: parsed.problems });
    }
    const policy = this.policies.current();
    if (!policy.reps.some((r) => r.id === repId)) {
      throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `no rep "${repId}" in policy version ${policy.version}` });
    }
    const at = this.clock.now().toISOString();
    const command = {
      type: 'RepReinstated',
      version: EventCatalogue.RepReinstated.current,
      eventId: randomUUID(),
      occurredAt: at,
      recordedAt: at,
      leadId: null,
      correlationId: `reinstate:${repId}:${at}`,
      causationId: null,
      data: { repId, managerId: parsed.value.managerId, ...(parsed.value.note ? { note: parsed.value.note } : {}) },
    } as LeadEvent;
    const emitted = await inTransaction(this.dataSource, async (tx) => {
      const events = await this.engine.process(tx, command);
      await insertOutboxRows(tx, 'routing', events.map((e) => outboxRowForEvent(e, currentTraceHeaders())));
      return events;
    });
    if (emitted.length > 0) this.messaging.relay.kick();
    const rotation = emitted.find((e) => e.type === 'RepRotationChanged');
    return {
      repId,
      inRotation: true,
      changed: rotation !== undefined,
      message: rotation ? `${repId} is back in rotation (reinstated by ${parsed.value.managerId})` : `${repId} was already in rotation; nothing changed`,
      events: emitted.map((e) => ({ type: e.type, eventId: e.eventId, leadId: e.leadId })),
    };
  }
}

import { Injectable } from '@nestjs/common';
import type { EventType, LeadEvent } from '@lead-sla/contracts';
import type { HandlerContext } from '@lead-sla/messaging';
import type { LeadEventHandler } from '@lead-sla/service-runtime';
import { routingInputTypes } from '../routing.decider';
import { RoutingEngine } from './routing-engine.service';

/**
 * The routing consumer: thin by design (CONVENTIONS.md §4). The message
 * arrives parsed and upcast (invalid ones never get here: the consumer
 * dead-letters them); the engine decides in the batch's transaction and
 * the resulting events go to the outbox with it.
 */
@Injectable()
export class RoutingEventHandler implements LeadEventHandler {
  /** Other types are skipped by the consumer without being validated. */
  readonly eventTypes = [...routingInputTypes] as EventType[];

  constructor(private readonly engine: RoutingEngine) {}

  async handle(event: LeadEvent, ctx: HandlerContext): Promise<void> {
    for (const e of await this.engine.process(ctx.tx, event)) ctx.emit(e);
  }
}

import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { LeadAcceptedV1, LeadRejectedV1 } from '@lead-sla/contracts';
import { decideContact } from '../disposition.decider';
import type { InputEvent } from '../domain/decision';
import { LeadCommandPublisher, type Published } from '../publish-command/lead-command.publisher';
import { parseBody } from '../publish-command/request-body.util';

/**
 * POST /api/leads/:leadId/accept and /reject — the owner's SAL decision.
 * The request is checked by running the decider on the current state (a
 * dry run: nothing is stored), so HTTP refuses exactly what the event path
 * would refuse; accepted requests become LeadAccepted/LeadRejected events.
 */
@Controller('api/leads')
export class SalDecisionsController {
  constructor(private readonly commands: LeadCommandPublisher) {}

  @Post(':leadId/accept')
  @HttpCode(202)
  async accept(@Param('leadId') leadId: string, @Body() body: unknown, @Headers('idempotency-key') idempotencyKey?: string): Promise<Published> {
    const data = parseBody(LeadAcceptedV1, body, 'acceptance');
    return this.commands.publish('LeadAccepted', leadId, data, idempotencyKey, (command) => this.dryRun(command));
  }

  @Post(':leadId/reject')
  @HttpCode(202)
  async reject(@Param('leadId') leadId: string, @Body() body: unknown, @Headers('idempotency-key') idempotencyKey?: string): Promise<Published> {
    const data = parseBody(LeadRejectedV1, body, 'rejection');
    return this.commands.publish('LeadRejected', leadId, data, idempotencyKey, (command) => this.dryRun(command));
  }

  private async dryRun(command: InputEvent<'LeadAccepted' | 'LeadRejected'>): Promise<void> {
    const state = await this.commands.stateOf(command.leadId);
    const refusal = decideContact(state, command, this.commands.context()).refusal;
    if (refusal) throw this.commands.unprocessable(command.leadId, refusal.problems);
  }
}

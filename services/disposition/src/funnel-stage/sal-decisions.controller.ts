import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { LeadAcceptedV1, LeadRejectedV1 } from '@lead-sla/contracts';
import { AccessControl, actorOf, CurrentPrincipal, Guarded, type Principal } from '@lead-sla/auth';
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
  constructor(
    private readonly commands: LeadCommandPublisher,
    private readonly access: AccessControl,
  ) {}

  // The actor is the verified principal; the body cannot name it (the v1 body schemas have no actor).
  @Post(':leadId/accept')
  @HttpCode(202)
  @Guarded('lead.accept')
  async accept(@CurrentPrincipal() principal: Principal, @Param('leadId') leadId: string, @Body() body: unknown, @Headers('idempotency-key') idempotencyKey?: string): Promise<Published> {
    const data = { ...parseBody(LeadAcceptedV1, body, 'acceptance'), actor: actorOf(principal) };
    await this.authorize(principal, 'lead.accept', leadId);
    return this.commands.publish('LeadAccepted', leadId, data, idempotencyKey, (command) => this.dryRun(command));
  }

  @Post(':leadId/reject')
  @HttpCode(202)
  @Guarded('lead.reject')
  async reject(@CurrentPrincipal() principal: Principal, @Param('leadId') leadId: string, @Body() body: unknown, @Headers('idempotency-key') idempotencyKey?: string): Promise<Published> {
    const data = { ...parseBody(LeadRejectedV1, body, 'rejection'), actor: actorOf(principal) };
    await this.authorize(principal, 'lead.reject', leadId);
    return this.commands.publish('LeadRejected', leadId, data, idempotencyKey, (command) => this.dryRun(command));
  }

  /** Before anything else, a retried Idempotency-Key included: a replayed answer is only for who may ask. */
  private async authorize(principal: Principal, kind: 'lead.accept' | 'lead.reject', leadId: string): Promise<void> {
    const state = await this.commands.stateOf(leadId);
    this.access.require(principal, { kind, ownerRepId: state.leads[leadId]?.ownerRepId ?? null });
  }

  private async dryRun(command: InputEvent<'LeadAccepted' | 'LeadRejected'>): Promise<void> {
    const state = await this.commands.stateOf(command.leadId);
    const refusal = decideContact(state, command, this.commands.context()).refusal;
    if (refusal) throw this.commands.unprocessable(command.leadId, refusal.problems);
  }
}

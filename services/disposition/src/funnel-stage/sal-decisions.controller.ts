import { Body, Controller, Headers, HttpCode, Param, Post, type HttpException } from '@nestjs/common';
import { LeadAcceptedV1, LeadRejectedV2, UNCODED_REJECT_REASON } from '@lead-sla/contracts';
import type { InputEvent } from '../domain/decision';
import { LeadCommandPublisher, type Published } from '../publish-command/lead-command.publisher';
import { parseBody } from '../publish-command/request-body.util';
import { checkSalRequest } from './funnel-stage.decider';

/**
 * POST /api/leads/:leadId/accept and /reject — the SAL decision, by the
 * lead's owner, the owner's manager or an admin (the body's repId names who
 * acts, until identity gives a verified principal). The request is checked
 * with the decider's own check on the current state (a dry run: nothing is
 * stored). A valid request is published and answered 202; the disposition
 * service's SalDecisionRecorded then applies it. A refused request is
 * published too, so the event path logs a SalDecisionRefused, and answered
 * 403 (the rep may not decide for this lead), 409 (the lead's state does not
 * allow it) or 422 (e.g. an unknown reason code) with the reasons; every
 * clock keeps running. 404: a lead this service has not seen.
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
    const data = parseBody(LeadRejectedV2, body, 'rejection');
    return this.commands.publish('LeadRejected', leadId, data, idempotencyKey, async (command) => {
      // "uncoded" only reads old (v1) requests; a person picks one of the policy's codes.
      if (data.reasonCode === UNCODED_REJECT_REASON) throw this.commands.unprocessable(leadId, [`reasonCode "${UNCODED_REJECT_REASON}" is kept for rejections made before reason codes: pick one of the policy's reject reasons`]);
      return this.dryRun(command);
    });
  }

  private async dryRun(command: InputEvent<'LeadAccepted' | 'LeadRejected'>): Promise<HttpException | void> {
    const state = await this.commands.stateOf(command.leadId);
    const check = checkSalRequest(state, command, this.commands.context());
    if (check.kind === 'forbidden') return this.commands.refused(403, command.leadId, check.problems, command.eventId);
    if (check.kind === 'conflict') return this.commands.refused(409, command.leadId, check.problems, command.eventId);
    if (check.kind === 'invalid') return this.commands.unprocessable(command.leadId, check.problems, command.eventId);
  }
}

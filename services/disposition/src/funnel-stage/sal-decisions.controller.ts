import { Body, Controller, Headers, HttpCode, Param, Post, type HttpException } from '@nestjs/common';
import { LeadAcceptedV1, LeadRejectedV2, UNCODED_REJECT_REASON } from '@lead-sla/contracts';
import { actorOf, CurrentPrincipal, Guarded, type Principal } from '@lead-sla/auth';
import type { InputEvent } from '../domain/decision';
import { LeadCommandPublisher, type Published } from '../publish-command/lead-command.publisher';
import { parseBody } from '../publish-command/request-body.util';
import { checkSalRequest } from './funnel-stage.decider';
import { LeadCommandRoute, SalRefusals } from '../openapi/disposition-openapi.decorators';

// The acting person is the verified principal, never the body: a body's repId (older clients send one) is ignored.
const AcceptBody = LeadAcceptedV1.partial();
const RejectBody = LeadRejectedV2.partial({ repId: true });

/** An Idempotency-Key is the caller's own: another principal reusing it asks anew (and is checked) instead of replaying the answer. */
function keyOf(principal: Principal, idempotencyKey: string | undefined): string | undefined {
  return idempotencyKey === undefined ? undefined : `${principal.kind}:${principal.id}:${idempotencyKey}`;
}

/**
 * POST /api/leads/:leadId/accept and /reject — the SAL decision, by the
 * lead's owner, the owner's manager or an admin. Who acts is the verified
 * principal: the request's repId is its directory id (or the key id of an
 * admin key, or "demo"), and its actor the principal as verified. The
 * request is checked with the decider's own check on the current state (a
 * dry run: nothing is stored), the same owner / manager / admin rule as the
 * access table (libs/auth), so a refused attempt is on the log too.
 * A valid request is published and answered 202; the disposition service's
 * SalDecisionRecorded then applies it. A request the decider refuses is
 * published too, so the event path logs a SalDecisionRefused, and answered
 * 403 (may not decide for this lead), 409 (the lead's state does not allow
 * it) or 422 (e.g. an unknown reason code); every clock keeps running.
 */
@Controller('api/leads')
export class SalDecisionsController {
  constructor(private readonly commands: LeadCommandPublisher) {}

  @Post(':leadId/accept')
  @HttpCode(202)
  @Guarded('lead.accept')
  @LeadCommandRoute('Accept a lead (SAL)', "By the lead's owner, the owner's manager or an admin; who accepts is the verified caller (a body's repId is ignored).", AcceptBody)
  @SalRefusals()
  async accept(@CurrentPrincipal() principal: Principal, @Param('leadId') leadId: string, @Body() body: unknown, @Headers('idempotency-key') idempotencyKey?: string): Promise<Published> {
    parseBody(AcceptBody, body ?? {}, 'acceptance');
    const data = { repId: principal.id, actor: actorOf(principal) };
    return this.commands.publish('LeadAccepted', leadId, data, keyOf(principal, idempotencyKey), (command) => this.dryRun(command));
  }

  @Post(':leadId/reject')
  @HttpCode(202)
  @Guarded('lead.reject')
  @LeadCommandRoute('Reject a lead, with one of the policy\'s reject reasons', "By the lead's owner, the owner's manager or an admin; who rejects is the verified caller.", RejectBody)
  @SalRefusals()
  async reject(@CurrentPrincipal() principal: Principal, @Param('leadId') leadId: string, @Body() body: unknown, @Headers('idempotency-key') idempotencyKey?: string): Promise<Published> {
    const { reasonCode, reason } = parseBody(RejectBody, body, 'rejection');
    const data = { repId: principal.id, reasonCode, ...(reason !== undefined ? { reason } : {}), actor: actorOf(principal) };
    return this.commands.publish('LeadRejected', leadId, data, keyOf(principal, idempotencyKey), async (command) => {
      // "uncoded" only reads old (v1) requests; a person picks one of the policy's codes.
      if (reasonCode === UNCODED_REJECT_REASON) throw this.commands.unprocessable(leadId, [`reasonCode "${UNCODED_REJECT_REASON}" is kept for rejections made before reason codes: pick one of the policy's reject reasons`]);
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

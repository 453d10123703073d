import { Body, Controller, Headers, HttpCode, Param, Post } from '@nestjs/common';
import { LeadDispositionedV1 } from '@lead-sla/contracts';
import { AccessControl, actorOf, CurrentPrincipal, Guarded, type Principal } from '@lead-sla/auth';
import { LeadCommandPublisher, type Published } from '../publish-command/lead-command.publisher';
import { parseBody } from '../publish-command/request-body.util';
import { validateDisposition } from './validate-disposition';
import { LeadCommandRoute } from '../openapi/disposition-openapi.decorators';

/**
 * POST /api/leads/:leadId/dispositions — a rep closes out (or updates) a
 * lead. Checked with the same validateDisposition as the LeadDispositioned
 * consumer: 400 for a malformed body, 404 for a lead this service has not
 * seen, 422 with the refusal's sentences, else 202 and a LeadDispositioned
 * on the log for the event path to apply.
 */
@Controller('api/leads')
export class DispositionsController {
  constructor(
    private readonly commands: LeadCommandPublisher,
    private readonly access: AccessControl,
  ) {}

  @Post(':leadId/dispositions')
  @HttpCode(202)
  @Guarded('lead.dispose')
  @LeadCommandRoute(
    'Record a disposition (close out or update a lead)',
    "By the lead's owner, their manager or an admin. Checked with the same rules as the LeadDispositioned consumer (e.g. the minimum effort before \"No Response\").",
    LeadDispositionedV1,
  )
  async record(@CurrentPrincipal() principal: Principal, @Param('leadId') leadId: string, @Body() body: unknown, @Headers('idempotency-key') idempotencyKey?: string): Promise<Published> {
    // Who recorded it is the verified principal; the body cannot name it (the v1 body schema has no actor).
    const data = { ...parseBody(LeadDispositionedV1, body, 'disposition'), actor: actorOf(principal) };
    // Authorized before anything else, a retried Idempotency-Key included: a replayed answer is only for who may ask.
    const current = await this.commands.stateOf(leadId);
    this.access.require(principal, { kind: 'lead.dispose', ownerRepId: current.leads[leadId]?.ownerRepId ?? null });
    return this.commands.publish('LeadDispositioned', leadId, data, idempotencyKey, async () => {
      const state = await this.commands.stateOf(leadId);
      const validation = validateDisposition(state, leadId, data, this.commands.context());
      if (!validation.ok) throw this.commands.unprocessable(leadId, validation.problems);
    });
  }
}

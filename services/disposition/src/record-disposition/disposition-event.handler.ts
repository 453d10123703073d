import { Injectable } from '@nestjs/common';
import type { LeadEvent } from '@lead-sla/contracts';
import type { HandlerContext } from '@lead-sla/messaging';
import type { LeadEventHandler } from '@lead-sla/service-runtime';

/** Walking skeleton of disposition: stores each disposition. */
@Injectable()
export class DispositionEventHandler implements LeadEventHandler {
  async handle(event: LeadEvent, ctx: HandlerContext): Promise<void> {
    if (event.type !== 'LeadDispositioned') return;
    const d = event.data;
    await ctx.tx.execute(
      `INSERT INTO disposition.dispositions (event_id, lead_id, rep_id, code, reason, next_step, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING`,
      [event.eventId, event.leadId, d.repId, d.code, d.reason ?? null, d.nextStep ?? null, event.occurredAt],
    );
  }
}

import { Injectable } from '@nestjs/common';
import type { LeadEvent } from '@lead-sla/contracts';
import type { HandlerContext } from '@lead-sla/messaging';
import type { LeadEventHandler } from '@lead-sla/service-runtime';
import { evolveLeadRow, leadRowKeyOf, type LeadRow } from '../projections/lead-row.projection';

/** Applies the lead-row projection with the offset, in the consumer's transaction. */
@Injectable()
export class LeadRowHandler implements LeadEventHandler {
  async handle(event: LeadEvent, ctx: HandlerContext): Promise<void> {
    const key = leadRowKeyOf(event);
    if (!key) return;
    const [current] = await ctx.tx.query<{ row: LeadRow }>('SELECT row FROM reporting.lead_rows WHERE lead_id = $1 FOR UPDATE', [key]);
    const next = evolveLeadRow(current?.row ?? null, event);
    if (next === (current?.row ?? null)) return;
    if (next === null) {
      await ctx.tx.execute('DELETE FROM reporting.lead_rows WHERE lead_id = $1', [key]);
      return;
    }
    await ctx.tx.execute(
      'INSERT INTO reporting.lead_rows (lead_id, row) VALUES ($1, $2) ON CONFLICT (lead_id) DO UPDATE SET row = EXCLUDED.row, updated_at = now()',
      [key, JSON.stringify(next)],
    );
  }
}

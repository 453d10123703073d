import { Inject, Injectable } from '@nestjs/common';
import { deterministicId, type EventOf, type LeadEvent } from '@lead-sla/contracts';
import type { HandlerContext } from '@lead-sla/messaging';
import { policyLookup } from '@lead-sla/policy';
import { addCoverage, coverageCalendarFor, nextCoverageStart } from '@lead-sla/sla-clock';
import { PolicyProvider, type LeadEventHandler } from '@lead-sla/service-runtime';
import type { DeadlinePayload } from '../fire-deadline/deadline-scheduler';
import { DeadlineScheduler } from '../fire-deadline/deadline-scheduler';

/**
 * Walking skeleton of the timer: the first-touch clock starts at assignment
 * in the owner's team calendar, an owned touch stops it, the scheduler
 * fires SlaBreached at the deadline.
 */
@Injectable()
export class TimerEventHandler implements LeadEventHandler {
  constructor(
    private readonly policies: PolicyProvider,
    @Inject(DeadlineScheduler) private readonly scheduler: DeadlineScheduler,
  ) {}

  onPartitionsAssigned(partitions: ReadonlyArray<{ topic: string; partition: number }>): void {
    this.scheduler.setPartitions(partitions.map((p) => p.partition));
  }

  async handle(event: LeadEvent, ctx: HandlerContext): Promise<void> {
    switch (event.type) {
      case 'LeadCreated':
        await ctx.tx.execute('INSERT INTO timer.lead_clocks (lead_id, lead) VALUES ($1, $2) ON CONFLICT (lead_id) DO UPDATE SET lead = EXCLUDED.lead', [event.leadId, JSON.stringify(event.data)]);
        return;
      case 'LeadAssigned':
        return this.startFirstTouch(event, ctx);
      case 'LeadTouched':
        return this.stopFirstTouch(event, ctx);
      default:
        return;
    }
  }

  private async startFirstTouch(event: EventOf<'LeadAssigned'>, ctx: HandlerContext): Promise<void> {
    const policy = this.policies.current();
    const [row] = await ctx.tx.query<{ lead: EventOf<'LeadCreated'>['data'] | null }>('SELECT lead FROM timer.lead_clocks WHERE lead_id = $1', [event.leadId]);
    const lead = row?.lead;
    const tier = lead ? policyLookup.tierFor(policy, lead) : policy.clocks.tiers[policy.clocks.tiers.length - 1];
    const clockPolicy = tier?.clocks.first_touch;
    await ctx.tx.execute(`UPDATE timer.deadlines SET status = 'cancelled' WHERE lead_id = $1 AND clock = 'first_touch' AND status = 'pending'`, [event.leadId]);
    await ctx.tx.execute(
      `INSERT INTO timer.lead_clocks (lead_id, owner_rep_id, team_id, assigned_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (lead_id) DO UPDATE SET owner_rep_id = $2, team_id = $3, assigned_at = $4`,
      [event.leadId, event.data.repId, event.data.teamId, event.occurredAt],
    );
    if (!clockPolicy || !clockPolicy.enabled || !tier) return;
    const calendarPolicy = policyLookup.calendar(policy, policyLookup.team(policy, event.data.teamId).calendarId);
    const calendar = coverageCalendarFor(calendarPolicy);
    const start = Date.parse(event.occurredAt);
    const deadline = new Date(addCoverage(calendar, start, clockPolicy.minutes));
    const clockId = deterministicId(event.eventId, 'first_touch');
    const payload: DeadlinePayload<'SlaBreached'> = {
      type: 'SlaBreached',
      correlationId: event.correlationId,
      data: {
        clockId, clock: 'first_touch', tier: tier.id, ownerRepId: event.data.repId, teamId: event.data.teamId, managerId: event.data.managerId,
        math: {
          startedAt: event.occurredAt, coverageStart: new Date(nextCoverageStart(calendar, start)).toISOString(),
          coverageMinutes: clockPolicy.minutes, deadline: deadline.toISOString(), calendarId: calendarPolicy.id, timeZone: calendarPolicy.timeZone,
        },
        policyVersion: policy.version,
      },
    };
    await ctx.tx.execute(
      `INSERT INTO timer.deadlines (id, lead_id, partition, clock, kind, due_at, payload, cause_event_id) VALUES ($1, $2, $3, 'first_touch', 'breach', $4, $5, $6)
       ON CONFLICT (id) DO NOTHING`,
      [clockId, event.leadId, ctx.message.partition, deadline, JSON.stringify(payload), event.eventId],
    );
    ctx.afterCommit(() => this.scheduler.offer(clockId, deadline, ctx.message.partition));
  }

  private async stopFirstTouch(event: EventOf<'LeadTouched'>, ctx: HandlerContext): Promise<void> {
    const d = event.data;
    if (d.direction !== 'outbound' || !d.personal || d.automated) return; // not an owned touch
    await ctx.tx.execute(
      `UPDATE timer.deadlines SET status = 'cancelled' WHERE lead_id = $1 AND clock = 'first_touch' AND status = 'pending'
         AND EXISTS (SELECT 1 FROM timer.lead_clocks WHERE lead_id = $1 AND owner_rep_id = $2)`,
      [event.leadId, d.repId],
    );
  }
}

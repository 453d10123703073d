import { Inject, Injectable } from '@nestjs/common';
import type { EventOf, LeadEvent } from '@lead-sla/contracts';
import { eventFrom, type HandlerContext } from '@lead-sla/messaging';
import { matchesLead, policyLookup } from '@lead-sla/policy';
import { CLOCK, PolicyProvider, type LeadEventHandler } from '@lead-sla/service-runtime';
import type { Clock } from '@lead-sla/platform';

/**
 * Walking skeleton of routing: first matching rule picks the pool, round
 * robin (pointer locked with FOR UPDATE) picks the rep.
 */
@Injectable()
export class RoutingEventHandler implements LeadEventHandler {
  constructor(
    private readonly policies: PolicyProvider,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async handle(event: LeadEvent, ctx: HandlerContext): Promise<void> {
    if (event.type === 'LeadCreated') await this.assign(event, ctx);
  }

  private async assign(event: EventOf<'LeadCreated'>, ctx: HandlerContext): Promise<void> {
    const policy = this.policies.current();
    const lead = { ...event.data, vip: event.data.vip ?? false };
    const rule = policy.routing.rules.find((r) => matchesLead(r.when, lead)) ?? null;
    const pool = policyLookup.pool(policy, rule?.pool ?? policy.routing.defaultPool);
    await ctx.tx.execute('INSERT INTO routing.pool_rotation (pool_id) VALUES ($1) ON CONFLICT DO NOTHING', [pool.id]);
    const [{ next_index }] = await ctx.tx.query<{ next_index: number }>('SELECT next_index FROM routing.pool_rotation WHERE pool_id = $1 FOR UPDATE', [pool.id]);
    const repId = pool.reps[next_index % pool.reps.length];
    await ctx.tx.execute('UPDATE routing.pool_rotation SET next_index = $2 WHERE pool_id = $1', [pool.id, (next_index + 1) % pool.reps.length]);
    const rep = policyLookup.rep(policy, repId);
    const now = this.clock.now();
    const assigned = eventFrom(event, 'assign', 'LeadAssigned', {
      repId, teamId: rep.teamId, poolId: pool.id, ruleId: rule?.id ?? null, reason: 'rule', reassignment: false,
      previousRepId: null, reassignmentCause: null, skipped: [], managerId: policyLookup.managerOf(policy, repId), policyVersion: policy.version,
    }, { occurredAt: now, recordedAt: now });
    await ctx.tx.execute(
      'INSERT INTO routing.lead_owner (lead_id, rep_id, pool_id, rule_id, assigned_at, decision) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (lead_id) DO NOTHING',
      [event.leadId, repId, pool.id, rule?.id ?? null, now, JSON.stringify(assigned.data)],
    );
    ctx.emit(assigned);
  }
}

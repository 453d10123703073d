import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { policyPublishedEventId, type EventOf, type LeadEvent } from '@lead-sla/contracts';
import { parsePolicy, type Policy } from '@lead-sla/policy';
import { isDecision } from '../engine/exactness';
import { Simulator } from '../engine/simulator';
import { syntheticMonth } from '../generator/synthetic-month';

export function monthPolicy(name: 'month-baseline' | 'month-candidate'): Policy {
  const file = join(__dirname, '../../policies', `${name}.policy.yaml`);
  return parsePolicy(readFileSync(file, 'utf8'), file);
}

/** Events sorted by recorded time (stable: same-instant events keep their log order), as the what-if reader delivers them. */
export function inRecordedOrder(events: readonly LeadEvent[]): LeadEvent[] {
  return events.map((e, i) => ({ e, i, at: Date.parse(e.recordedAt) })).sort((a, b) => a.at - b.at || a.i - b.i).map((x) => x.e);
}

/**
 * A generated month "as recorded": the synthetic facts, and the decisions a
 * run of the deciders under `policy` made on them, each in recorded order.
 * `policyAt`: the policy the services decided with at each instant, when it
 * changed during the month (default: `policy` throughout).
 */
export function recordedMonth(policy: Policy, leads: number, from = '2026-10-01T00:00:00.000Z', policyAt: (at: number) => Policy = () => policy): { facts: LeadEvent[]; decisions: LeadEvent[] } {
  const facts: LeadEvent[] = [];
  const decisions: LeadEvent[] = [];
  const sim = new Simulator({ policyAt, onEvent: (e) => (isDecision(e) ? decisions : facts).push(e) });
  for (const fact of syntheticMonth({ leads, from, days: 31, reps: policy.reps.map((r) => r.id) }, (id) => sim.routedLead(id)?.ownerRepId ?? null)) sim.apply(fact);
  sim.advanceTo(Date.parse(from) + 35 * 24 * 3_600_000);
  return { facts, decisions: inRecordedOrder(decisions) };
}

/** The copies of a PolicyPublished of `policy` at `at`, one per partition, as routing writes them on the log. */
export function publication(policy: Policy, at: string, partitionCount = 3): Array<EventOf<'PolicyPublished'>> {
  return Array.from({ length: partitionCount }, (_, partition): EventOf<'PolicyPublished'> => ({
    type: 'PolicyPublished',
    version: 1,
    eventId: policyPublishedEventId(policy.version, partition),
    occurredAt: at,
    recordedAt: at,
    leadId: null,
    correlationId: `policy:${policy.version}`,
    causationId: null,
    data: { version: policy.version, document: policy as unknown as Record<string, unknown>, publishedBy: { kind: 'person', id: 'revops-admin', role: 'admin' }, reason: 'monthly SLA review', publishedAt: at, partition, partitionCount },
  }));
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LeadEvent } from '@lead-sla/contracts';
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
 */
export function recordedMonth(policy: Policy, leads: number, from = '2026-10-01T00:00:00.000Z'): { facts: LeadEvent[]; decisions: LeadEvent[] } {
  const facts: LeadEvent[] = [];
  const decisions: LeadEvent[] = [];
  const sim = new Simulator({ policyAt: () => policy, onEvent: (e) => (isDecision(e) ? decisions : facts).push(e) });
  for (const fact of syntheticMonth({ leads, from, days: 31, reps: policy.reps.map((r) => r.id) }, (id) => sim.routedLead(id)?.ownerRepId ?? null)) sim.apply(fact);
  sim.advanceTo(Date.parse(from) + 35 * 24 * 3_600_000);
  return { facts, decisions: inRecordedOrder(decisions) };
}

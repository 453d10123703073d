import { readFileSync } from 'node:fs';
import type { LeadEvent } from '@lead-sla/contracts';
import { parsePolicy } from '@lead-sla/policy';
import { Simulator } from './src/engine/simulator';
import { syntheticMonth } from './src/generator/synthetic-month';
const policy = parsePolicy(readFileSync('libs/what-if/policies/month-baseline.policy.yaml', 'utf8'), 'b');
const byLead = new Map<string, LeadEvent[]>();
let shown = 0;
const sim = new Simulator({ policyAt: () => policy, onEvent: (e) => {
  if (e.leadId) { const l = byLead.get(e.leadId) ?? []; l.push(e); byLead.set(e.leadId, l); }
  if (e.type === 'SlaBreached' && e.data.clock === 'first_touch' && shown++ === Number(process.argv[3] ?? 5)) for (const x of byLead.get(e.leadId!)!) console.log(x.recordedAt, x.type, JSON.stringify(x.data).slice(0, 200));
  if (e.type === 'RepRotationChanged') console.log(e.recordedAt, e.type, e.data.misses.length, JSON.stringify(e.data.misses.slice(0,3)));
} });
for (const f of syntheticMonth({ leads: Number(process.argv[2] ?? 200), from: '2026-10-01T00:00:00Z', days: 31, reps: policy.reps.map((r) => r.id) }, (id) => sim.routedLead(id)?.ownerRepId ?? null)) sim.apply(f);

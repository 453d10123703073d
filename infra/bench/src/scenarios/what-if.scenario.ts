import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LeadEvent } from '@lead-sla/contracts';
import { parsePolicy } from '@lead-sla/policy';
import { isDecision, runWhatIf, Simulator, syntheticMonth } from '@lead-sla/what-if';
import { numberArg, round, type BenchContext, type BenchScenario } from '../bench-scenario';

const policyFile = (name: string) => join(__dirname, '../../../../libs/what-if/policies', `${name}.policy.yaml`);

/**
 * The what-if simulator's speed (docs/what-if.md): a generated month of
 * `--leads` leads (default 100,000) is recorded once (its facts, with the
 * owners a run of the deciders gave them), then replayed twice, as
 * `npm run what-if` does, and timed. The candidate is the policy in force
 * unless `--candidate=month-candidate`: that one takes every rep out of
 * rotation (docs/what-if.md, worked example), and a month whose leads all
 * wait in the queue measures routing's queue drain rather than the simulator.
 * Needs no Kafka or Postgres: the simulator runs the pure deciders in memory.
 */
export const whatIfScenario: BenchScenario = {
  name: 'what-if',
  description: 'what-if simulator: a generated month (--leads=100000) replayed twice in memory (--candidate=month-candidate: the candidate policy); events/s',
  needsInfrastructure: false,
  async run(ctx: BenchContext) {
    const leads = numberArg(ctx, 'leads', 100_000);
    const baseline = parsePolicy(readFileSync(policyFile('month-baseline'), 'utf8'), 'month-baseline');
    const candidateName = ctx.args.candidate ?? 'month-baseline';
    const candidate = parsePolicy(readFileSync(policyFile(candidateName), 'utf8'), candidateName);
    const from = '2026-10-01T00:00:00.000Z';
    ctx.log(`recording a month of ${leads} leads …`);
    const facts: LeadEvent[] = [];
    let recordedDecisions = 0;
    const recorder = new Simulator({ policyAt: () => baseline, onEvent: (e) => (isDecision(e) ? recordedDecisions++ : facts.push(e)) });
    for (const fact of syntheticMonth({ leads, from, days: 31, reps: baseline.reps.map((r) => r.id) }, (id) => recorder.routedLead(id)?.ownerRepId ?? null)) recorder.apply(fact);
    ctx.log(`recorded ${facts.length} facts and ${recordedDecisions} decisions; replaying baseline and candidate …`);
    const cpu = process.cpuUsage();
    const started = process.hrtime.bigint();
    const result = runWhatIf({
      facts: () => facts, recorded: new Map(), baseline, candidate, from: Date.parse(from), to: Date.parse('2026-11-01T00:00:00.000Z'), teamId: null,
      onProgress: (run, n, at) => n % 100_000 === 0 && ctx.log(`${run}: ${n} facts, simulated time ${new Date(at).toISOString()}`),
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpuSeconds = (process.cpuUsage(cpu).user + process.cpuUsage(cpu).system) / 1e6;
    const events = result.events.baseline + result.events.candidate;
    const heapMb = round(process.memoryUsage().heapUsed / 1e6, 0);
    return {
      title: `what-if: ${leads} leads, baseline + candidate`,
      rows: [
        ['leads', leads],
        ['facts per run', facts.length],
        ['events simulated (both runs)', events],
        ['wall time (s)', round(seconds, 1)],
        ['CPU time (s)', round(cpuSeconds, 1)],
        ['events/s (wall)', Math.round(events / seconds)],
        ['seconds per run (wall)', round(seconds / 2, 1)],
        ['heap used (MB)', heapMb],
        ['first_touch breaches baseline → candidate', `${result.baseline.clocks.first_touch?.breached ?? 0} → ${result.candidate.clocks.first_touch?.breached ?? 0}`],
      ],
      json: { leads, facts: facts.length, events, seconds: round(seconds, 2), cpuSeconds: round(cpuSeconds, 2), eventsPerSecond: Math.round(events / seconds), heapMb },
    };
  },
};

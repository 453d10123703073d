import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parsePolicy, type Policy } from '@lead-sla/policy';
import { EventSpool, isDecision, runWhatIf, Simulator, syntheticMonth } from '@lead-sla/what-if';
import { numberArg, round, type BenchContext, type BenchScenario } from '../bench-scenario';

const policyFile = (name: string) => join(__dirname, '../../../../libs/what-if/policies', `${name}.policy.yaml`);

/**
 * A full garbage collection, so a heap sample is what the run really keeps
 * (not garbage awaiting collection): V8's gc() obtained without restarting
 * the process with --expose-gc.
 */
function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Records a generated month into the spools (the recorder's states are garbage once it returns). */
function recordMonth(policy: Policy, leads: number, from: string, facts: EventSpool, decisions: EventSpool): void {
  let seq = 0n;
  const recorder = new Simulator({ policyAt: () => policy, onEvent: (e) => (isDecision(e) ? decisions : facts).add(e, 0, seq++) });
  for (const fact of syntheticMonth({ leads, from, days: 31, reps: policy.reps.map((r) => r.id) }, (id) => recorder.routedLead(id)?.ownerRepId ?? null)) recorder.apply(fact);
  recorder.advanceTo(Date.parse(from) + 35 * 24 * 3_600_000);
}

/**
 * The what-if simulator's speed and memory (docs/what-if.md): a generated
 * month of `--leads` leads (default 100,000) is recorded once — its facts
 * and the decisions a run of the deciders made, written to spools on disk
 * as `npm run what-if` writes the log — then replayed twice from the
 * spools with the exactness check, as the command does, and timed. The
 * heap kept is sampled after a full GC every 10,000 facts. The candidate
 * is the policy in force unless `--candidate=month-candidate`: that one
 * takes every rep out of rotation (docs/what-if.md, worked example), and a
 * month whose leads all wait in the queue measures routing's queue drain
 * rather than the simulator. Needs no Kafka or Postgres.
 */
export const whatIfScenario: BenchScenario = {
  name: 'what-if',
  description: 'what-if simulator: a generated month (--leads=100000) spooled, then replayed twice with the exactness check (--candidate=month-candidate: the candidate policy); events/s and heap kept',
  needsInfrastructure: false,
  async run(ctx: BenchContext) {
    const leads = numberArg(ctx, 'leads', 100_000);
    const baseline = parsePolicy(readFileSync(policyFile('month-baseline'), 'utf8'), 'month-baseline');
    const candidateName = ctx.args.candidate ?? 'month-baseline';
    const candidate = parsePolicy(readFileSync(policyFile(candidateName), 'utf8'), candidateName);
    const from = '2026-10-01T00:00:00.000Z';
    const gc = collectGarbage();
    ctx.log(`recording a month of ${leads} leads into spools …`);
    const facts = new EventSpool('bench-facts');
    const decisions = new EventSpool('bench-decisions');
    try {
      recordMonth(baseline, leads, from, facts, decisions);
      ctx.log(`recorded ${facts.size} facts and ${decisions.size} decisions; replaying baseline and candidate from the spools …`);
      gc();
      const heapBefore = process.memoryUsage().heapUsed;
      let heapPeak = heapBefore;
      const cpu = process.cpuUsage();
      const started = process.hrtime.bigint();
      let sampling = 0;
      let samplingCpu = 0;
      const result = await runWhatIf({
        facts: () => facts.events(), recorded: () => decisions.events(), baseline, candidate, from: Date.parse(from), to: Date.parse('2026-11-01T00:00:00.000Z'), teamId: null,
        onProgress: (run, n, at) => {
          const t = process.hrtime.bigint();
          const c = process.cpuUsage();
          gc();
          heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
          sampling += Number(process.hrtime.bigint() - t) / 1e9;
          const used = process.cpuUsage(c);
          samplingCpu += (used.user + used.system) / 1e6;
          if (n % 100_000 === 0) ctx.log(`${run}: ${n} facts, simulated time ${new Date(at).toISOString()}, heap kept ${round(process.memoryUsage().heapUsed / 1e6, 0)} MB`);
        },
      });
      const seconds = Number(process.hrtime.bigint() - started) / 1e9 - sampling;
      const used = process.cpuUsage(cpu);
      const cpuSeconds = (used.user + used.system) / 1e6 - samplingCpu;
      const events = result.events.baseline + result.events.candidate;
      const heapMb = round(heapPeak / 1e6, 0);
      const divergences = result.exactness?.total ?? 0;
      return {
        title: `what-if: ${leads} leads, baseline + candidate, streamed from spools`,
        rows: [
          ['leads', leads],
          ['facts per run', facts.size],
          ['recorded decisions (exactness check)', decisions.size],
          ['events simulated (both runs)', events],
          ['baseline divergences', divergences],
          ['wall time (s, GC samples excluded)', round(seconds, 1)],
          ['CPU time (s, GC samples excluded)', round(cpuSeconds, 1)],
          ['events/s (wall)', Math.round(events / seconds)],
          ['seconds per run (wall)', round(seconds / 2, 1)],
          ['heap kept before the runs (MB)', round(heapBefore / 1e6, 0)],
          ['heap kept, peak during the runs (MB)', heapMb],
          ['first_touch breaches baseline → candidate', `${result.baseline.clocks.first_touch?.breached ?? 0} → ${result.candidate.clocks.first_touch?.breached ?? 0}`],
        ],
        json: { leads, facts: facts.size, decisions: decisions.size, events, divergences, seconds: round(seconds, 2), cpuSeconds: round(cpuSeconds, 2), eventsPerSecond: Math.round(events / seconds), heapMb },
      };
    } finally {
      facts.dispose();
      decisions.dispose();
    }
  },
};

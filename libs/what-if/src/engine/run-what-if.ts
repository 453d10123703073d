import type { LeadEvent } from '@lead-sla/contracts';
import type { Policy } from '@lead-sla/policy';
import { ExactnessCheck, type Divergence } from './exactness';
import { OutcomeCollector, type Outcome } from './outcome';
import { Simulator } from './simulator';

export interface WhatIfInput {
  /** The recorded facts in recorded order, from before the period (state to warm up) to its end; read once per run. */
  readonly facts: () => Iterable<LeadEvent>;
  /** The platform's recorded decisions by event id (the exactness check and their processing times); empty: none known. */
  readonly recorded: ReadonlyMap<string, LeadEvent>;
  /** The policy that was in force, and the one to try. */
  readonly baseline: Policy;
  readonly candidate: Policy;
  /** The period (ms): the candidate decides from `from`; figures count [from, to). */
  readonly from: number;
  readonly to: number;
  readonly teamId: string | null;
  /** Called now and then with the facts applied so far (progress on long runs). */
  onProgress?(run: 'baseline' | 'candidate', facts: number, simulatedAt: number): void;
}

export interface WhatIfResult {
  readonly baseline: Outcome;
  readonly candidate: Outcome;
  readonly exactness: { readonly compared: number; readonly divergences: readonly Divergence[] } | null;
  readonly events: { readonly baseline: number; readonly candidate: number };
}

/** The period holds no recorded fact: there is nothing to replay. */
export class EmptyPeriodError extends Error {}

function teamsOf(policy: Policy): Map<string, string> {
  return new Map(policy.reps.map((r) => [r.id, r.teamId]));
}

/**
 * Replays the facts twice — under the policy in force, then with the
 * candidate deciding from the start of the period — and folds each run
 * into its Outcome. With recorded decisions, the baseline run is also
 * checked against them (`exactness`); a caller must not report a
 * comparison whose baseline diverges. Pure apart from the callbacks.
 */
export function runWhatIf(input: WhatIfInput): WhatIfResult {
  const recordedTimeOf = input.recorded.size === 0 ? undefined : (id: string) => input.recorded.get(id)?.recordedAt;
  const run = (name: 'baseline' | 'candidate', policyAt: (t: number) => Policy, check: ExactnessCheck | null) => {
    let events = 0;
    let inPeriod = 0;
    const sim: Simulator = new Simulator({
      policyAt,
      recordedTimeOf,
      onEvent: (e) => {
        events++;
        collector.onEvent(e);
        check?.onEvent(e);
      },
    });
    const policy = policyAt(input.from);
    const collector = new OutcomeCollector({ from: input.from, to: input.to, teamId: input.teamId, teamOf: teamsOf(policy) }, (id) => sim.routedLead(id)?.ownerRepId ?? null);
    for (const fact of input.facts()) {
      const at = Date.parse(fact.recordedAt);
      if (at >= input.to) break;
      if (at >= input.from) inPeriod++;
      sim.apply(fact);
      if (sim.counts.facts % 10_000 === 0) input.onProgress?.(name, sim.counts.facts, sim.now);
    }
    if (inPeriod === 0) throw new EmptyPeriodError(`no recorded fact (lead, touch, availability, disposition …) between ${new Date(input.from).toISOString()} and ${new Date(input.to).toISOString()}: choose a period the log holds`);
    sim.advanceTo(input.to);
    return { outcome: collector.outcome(), events };
  };
  const recordedInWindow = new Map([...input.recorded].filter(([, e]) => {
    const at = Date.parse(e.recordedAt);
    return at >= input.from && at < input.to;
  }));
  const check = input.recorded.size > 0 ? new ExactnessCheck(recordedInWindow, { from: input.from, until: input.to }) : null;
  const baseline = run('baseline', () => input.baseline, check);
  const candidate = run('candidate', (t) => (t < input.from ? input.baseline : input.candidate), null);
  return { baseline: baseline.outcome, candidate: candidate.outcome, exactness: check ? check.result() : null, events: { baseline: baseline.events, candidate: candidate.events } };
}

import type { Policy } from '@lead-sla/policy';
import { ExactnessCheck, type Divergence } from './exactness';
import { OutcomeCollector, type Outcome } from './outcome';
import { isPolicyPublication, PolicyHistory, type VersionInForce } from './policy-history';
import { RECORDED_LOOKAHEAD_MS, RecordedDecisionWindow, type EventStream } from './recorded-window';
import { Simulator } from './simulator';

export interface WhatIfInput {
  /** The recorded facts in recorded order, from before the period (state to warm up) to its end; streamed once per run. */
  readonly facts: () => EventStream;
  /**
   * The platform's recorded decisions in recorded order (the exactness
   * check, and their processing times), streamed once per run alongside
   * the facts; null: none known (no check, decisions at simulated time).
   */
  readonly recorded: (() => EventStream) | null;
  /**
   * The policy that was in force: with `followPublications` (the default),
   * the one before the first PolicyPublished among the facts (the services'
   * POLICY_FILE), each publication then replacing it from its position;
   * without, this one policy throughout (an override: publications skipped).
   */
  readonly baseline: Policy;
  readonly followPublications?: boolean;
  /** The policy to try, from `from` on. */
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
  readonly exactness: { readonly compared: number; readonly divergences: readonly Divergence[]; readonly total: number } | null;
  readonly events: { readonly baseline: number; readonly candidate: number };
  /** The baseline's versions over the period: the one in force at its start, then each published within it. */
  readonly baselineVersions: readonly VersionInForce[];
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
 * comparison whose baseline diverges. Facts and recorded decisions are
 * streamed: memory holds the simulated states and one lookahead window of
 * decisions (RECORDED_LOOKAHEAD_MS), not the log. Pure apart from the
 * callbacks and the streams.
 */
export async function runWhatIf(input: WhatIfInput): Promise<WhatIfResult> {
  const follow = input.followPublications ?? true;
  const run = async (name: 'baseline' | 'candidate', check: ExactnessCheck | null) => {
    let events = 0;
    let inPeriod = 0;
    const history = new PolicyHistory(input.baseline);
    // The baseline follows the log's versions throughout; the candidate from the period's start on.
    const policyAt = name === 'baseline' ? () => history.current : (t: number) => (t < input.from ? history.current : input.candidate);
    const recorded = input.recorded === null ? null : new RecordedDecisionWindow(input.recorded(), (d) => check?.expect(d), (d) => check?.expire(d));
    const sim: Simulator = new Simulator({
      policyAt,
      recordedTimeOf: recorded === null ? undefined : (id) => recorded.timeOf(id),
      onEvent: (e) => {
        events++;
        collector.onEvent(e);
        check?.onEvent(e);
      },
    });
    const collector = new OutcomeCollector({ from: input.from, to: input.to, teamId: input.teamId, teamOf: teamsOf(input.baseline) }, (id) => sim.routedLead(id)?.ownerRepId ?? null);
    // A decision caused at t is recorded in [t, t + lag]: the window is read that far ahead before the simulation reaches t.
    const readAhead = async (until: number) => {
      if (recorded?.needs(until + RECORDED_LOOKAHEAD_MS)) await recorded.fillUntil(until + RECORDED_LOOKAHEAD_MS);
    };
    let periodStarted = false;
    // Reaching the period: what was due before it fires first; the reps and teams counted are those of the policy then in force.
    const startPeriod = () => {
      periodStarted = true;
      sim.advanceTo(input.from);
      collector.setTeams(teamsOf(policyAt(input.from)));
    };
    for await (const fact of input.facts()) {
      const at = Date.parse(fact.recordedAt);
      if (at >= input.to) break;
      await readAhead(at);
      if (at >= input.from && !periodStarted) startPeriod();
      if (isPolicyPublication(fact)) {
        // A publication is not a fact the services decide on: it changes the policy they decide with from here on.
        if (follow) {
          sim.advanceTo(at);
          history.apply(fact);
        }
        continue;
      }
      if (at >= input.from) inPeriod++;
      sim.apply(fact);
      recorded?.evictBefore(sim.now - RECORDED_LOOKAHEAD_MS);
      if (sim.counts.facts % 10_000 === 0) input.onProgress?.(name, sim.counts.facts, sim.now);
    }
    if (inPeriod === 0) throw new EmptyPeriodError(`no recorded fact (lead, touch, availability, disposition …) between ${new Date(input.from).toISOString()} and ${new Date(input.to).toISOString()}: choose a period the log holds`);
    await readAhead(input.to);
    sim.advanceTo(input.to);
    recorded?.evictBefore(Number.POSITIVE_INFINITY);
    return { outcome: collector.outcome(), events, versions: history.versionsFrom(input.from) };
  };
  const check = input.recorded === null ? null : new ExactnessCheck({ from: input.from, until: input.to });
  const baseline = await run('baseline', check);
  const candidate = await run('candidate', null);
  return {
    baseline: baseline.outcome,
    candidate: candidate.outcome,
    exactness: check ? check.result() : null,
    events: { baseline: baseline.events, candidate: candidate.events },
    baselineVersions: baseline.versions,
  };
}

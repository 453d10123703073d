import type { LeadEvent } from '@lead-sla/contracts';
import type { Emission } from './emission';
import { eventOfEmission } from './event-factory';

/**
 * A pure decider (emmett style): `decide` answers an input with the events
 * to publish, `evolve` folds any event (the input, then each emitted one)
 * into the state. Neither reads a clock, a database or a policy file: the
 * environment (time, policy in force) is passed in.
 */
export interface Decider<I extends LeadEvent, S, Env> {
  decide(state: S, input: I, env: Env): readonly Emission[];
  evolve(state: S, event: LeadEvent, env: Env): S;
}

export interface Decided<S> {
  readonly state: S;
  readonly emitted: readonly LeadEvent[];
}

/**
 * One input through a decider: decide on the state before it, then fold
 * the input and the emitted events, in that order. Pure.
 */
export function decideAndEvolve<I extends LeadEvent, S, Env>(decider: Decider<I, S, Env>, state: S, input: I, env: Env, now: Date): Decided<S> {
  const emitted = decider.decide(state, input, env).map((e) => eventOfEmission(input, e, now));
  const next = emitted.reduce((s, e) => decider.evolve(s, e, env), decider.evolve(state, input, env));
  return { state: next, emitted };
}

/** A whole sequence of inputs in order (the batch fold; also replay and what-if). Pure. */
export function foldInputs<I extends LeadEvent, S, Env>(
  decider: Decider<I, S, Env>,
  state: S,
  inputs: readonly I[],
  envOf: (input: I) => Env,
  now: Date,
): Decided<S> {
  const emitted: LeadEvent[] = [];
  let current = state;
  for (const input of inputs) {
    const step = decideAndEvolve(decider, current, input, envOf(input), now);
    current = step.state;
    emitted.push(...step.emitted);
  }
  return { state: current, emitted };
}


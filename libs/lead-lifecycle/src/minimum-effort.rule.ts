import type { Channel } from '@lead-sla/contracts';

/** The one minimum-effort setting (policy `dispositions.minimumEffort`), read by disposition and the timer's effort clock. */
export interface MinimumEffortPolicy {
  readonly attempts: number;
  readonly days: number;
  /** Require more than one channel when the lead can be reached on more than one. */
  readonly multiChannel: boolean;
}

/** One owned attempt (an owned touch). */
export interface Attempt {
  readonly at: string;
  readonly channel: Channel;
}

export interface EffortSoFar {
  readonly attempts: number;
  /** Elapsed days from the first attempt to `now` (0 without attempts). */
  readonly days: number;
  readonly channels: readonly Channel[];
}

const DAY_MS = 86_400_000;

export function effortSoFar(attempts: readonly Attempt[], now: Date): EffortSoFar {
  const times = attempts.map((a) => Date.parse(a.at));
  const first = times.length ? Math.min(...times) : null;
  return {
    attempts: attempts.length,
    days: first === null ? 0 : Math.max(0, (now.getTime() - first) / DAY_MS),
    channels: [...new Set(attempts.map((a) => a.channel))],
  };
}

/** More than one channel is required only when the lead can be reached on more than one. */
export function needsSeveralChannels(leadChannels: readonly Channel[], policy: MinimumEffortPolicy): boolean {
  return policy.multiChannel && new Set(leadChannels).size > 1;
}

/** The minimum effort is made: enough attempts, over enough days, on more than one channel where the lead has several. */
export function minimumEffortMet(so: EffortSoFar, leadChannels: readonly Channel[], policy: MinimumEffortPolicy): boolean {
  return so.attempts >= policy.attempts && so.days >= policy.days && (!needsSeveralChannels(leadChannels, policy) || so.channels.length > 1);
}

import type { Channel } from '@lead-sla/contracts';
import type { DispositionsPolicy } from '@lead-sla/policy';
import type { LeadState } from '../domain/contact-state';
import { daysBetween, plural } from '../domain/lead-checks.util';

export type MinimumEffortPolicy = DispositionsPolicy['minimumEffort'];

export interface EffortSoFar {
  readonly attempts: number;
  /** Elapsed days from the first attempt to now (0 without attempts). */
  readonly days: number;
  readonly channels: readonly Channel[];
}

export function effortSoFar(lead: LeadState, now: Date): EffortSoFar {
  const times = lead.attempts.map((a) => Date.parse(a.at));
  const first = times.length ? new Date(Math.min(...times)).toISOString() : null;
  return {
    attempts: lead.attempts.length,
    days: first ? Math.max(0, daysBetween(first, now)) : 0,
    channels: [...new Set(lead.attempts.map((a) => a.channel))],
  };
}

/** More than one channel is required only when the lead can be reached on more than one. */
function needsSeveralChannels(lead: LeadState, policy: MinimumEffortPolicy): boolean {
  return policy.multiChannel && new Set(lead.channels).size > 1;
}

// Rounded down so "13.9 days" is never shown as the 14 that was required.
function formatDays(days: number): string {
  const shown = Math.floor(days * 10) / 10;
  return `${shown} ${shown === 1 ? 'day' : 'days'}`;
}

/**
 * Null when the effort is enough; otherwise one sentence saying what the
 * policy requires and what has been done so far.
 */
export function minimumEffortProblem(code: string, lead: LeadState, policy: MinimumEffortPolicy, now: Date): string | null {
  const so = effortSoFar(lead, now);
  const several = needsSeveralChannels(lead, policy);
  const enough = so.attempts >= policy.attempts && so.days >= policy.days && (!several || so.channels.length > 1);
  if (enough) return null;
  const required = `${plural(policy.attempts, 'attempt')} over ${plural(policy.days, 'day')}${several ? ' on more than one channel' : ''}`;
  const done =
    so.attempts === 0
      ? 'so far no attempts'
      : `so far ${plural(so.attempts, 'attempt')} over ${formatDays(so.days)} on ${plural(so.channels.length, 'channel')} (${so.channels.join(', ')})`;
  return `code "${code}" requires ${required}; ${done}`;
}

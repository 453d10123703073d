import { effortSoFar, minimumEffortMet, needsSeveralChannels, type MinimumEffortPolicy } from '@lead-sla/lead-lifecycle';
import type { LeadState } from '../domain/contact-state';
import { plural } from '../domain/lead-checks.util';

// Rounded down so "13.9 days" is never shown as the 14 that was required.
function formatDays(days: number): string {
  const shown = Math.floor(days * 10) / 10;
  return `${shown} ${shown === 1 ? 'day' : 'days'}`;
}

/**
 * Null when the effort is enough (the lead-lifecycle rule on the lead's
 * owned attempts of this working cycle); otherwise one sentence saying what
 * the policy's `dispositions.minimumEffort` requires and what has been done so far.
 */
export function minimumEffortProblem(code: string, lead: LeadState, policy: MinimumEffortPolicy, now: Date): string | null {
  const so = effortSoFar(lead.attempts, now);
  if (minimumEffortMet(so, lead.channels, policy)) return null;
  const several = needsSeveralChannels(lead.channels, policy);
  const required = `${plural(policy.attempts, 'attempt')} over ${plural(policy.days, 'day')}${several ? ' on more than one channel' : ''}`;
  const done =
    so.attempts === 0
      ? 'so far no attempts'
      : `so far ${plural(so.attempts, 'attempt')} over ${formatDays(so.days)} on ${plural(so.channels.length, 'channel')} (${so.channels.join(', ')})`;
  return `code "${code}" requires ${required}; ${done}`;
}

import { z } from 'zod';
import { Channel, ClockKind, EscalationAction } from '@lead-sla/contracts';
import { PolicyId as Id } from './organisation.policy';
import { LeadMatch } from './routing.policy';

/** The clocks a tier can configure: the same names the timer's events use. */
export const ClockName = ClockKind;
export type ClockName = z.infer<typeof ClockName>;

export const LadderStep = z
  .object({
    /** Coverage minutes after the breach (or after the previous step). */
    afterMinutes: z.number().nonnegative(),
    action: EscalationAction,
  })
  .strict();
export type LadderStep = z.infer<typeof LadderStep>;

export const ClockPolicy = z
  .object({
    /** Coverage (business) minutes from the clock's start to its deadline. */
    minutes: z.number().positive(),
    /** Send SlaWarning this many coverage minutes before the deadline (0: none). */
    warnBeforeMinutes: z.number().nonnegative().default(0),
    /** Steps after the breach, in order. */
    ladder: z.array(LadderStep).default([]),
    enabled: z.boolean().default(true),
    /**
     * Whether a breach of this clock is the owner's miss (rotation penalty,
     * per-rep breach figures). Omitted: the lead lifecycle's default
     * (first touch, second touch, accept/reject and effort yes; assignment
     * clocks, response and the reply clock no).
     */
    countsAsMiss: z.boolean().optional(),
    /**
     * First touch only: targets by the channels the lead can be reached on
     * (e.g. phone 5, sms 5, email 10); the clock runs for the smallest target
     * among the lead's channels, `minutes` when none of them has one.
     */
    channelMinutes: z.partialRecord(Channel, z.number().positive()).optional(),
  })
  .strict();
export type ClockPolicy = z.infer<typeof ClockPolicy>;

/**
 * DOMAIN.md: a missed first touch goes to the next rep. A tier that writes
 * its own first_touch ladder decides instead (e.g. remind at 0, reassign at
 * +5; or an empty ladder: never reassign).
 */
export const DEFAULT_FIRST_TOUCH_LADDER: readonly LadderStep[] = [{ afterMinutes: 0, action: 'reassign' }];

function withDefaultFirstTouchLadder(raw: unknown): unknown {
  const tier = raw as { clocks?: Record<string, unknown> } | null;
  const firstTouch = tier?.clocks?.first_touch;
  if (typeof firstTouch !== 'object' || firstTouch === null || 'ladder' in firstTouch) return raw;
  return { ...tier, clocks: { ...tier!.clocks, first_touch: { ...firstTouch, ladder: DEFAULT_FIRST_TOUCH_LADDER } } };
}

export const TierPolicy = z.preprocess(withDefaultFirstTouchLadder, z
  .object({
    id: Id,
    /** Omitted: the tier matches every lead (use it last, as the default). */
    when: LeadMatch.optional(),
    clocks: z.partialRecord(ClockName, ClockPolicy),
  })
  .strict()
  .superRefine((t, ctx) => {
    for (const [clock, p] of Object.entries(t.clocks)) {
      if (clock !== 'first_touch' && p?.channelMinutes) ctx.addIssue({ code: 'custom', path: ['clocks', clock, 'channelMinutes'], message: 'channelMinutes is a first_touch setting only' });
    }
    t.clocks.data_cleanup?.ladder.forEach((step, i) => {
      if (step.action === 'reassign') {
        ctx.addIssue({ code: 'custom', path: ['clocks', 'data_cleanup', 'ladder', i, 'action'], message: 'data cleanup never reassigns the lead to a sales pool (only the fix returns it): use remind_owner or escalate_manager' });
      }
    });
  }));
export type TierPolicy = z.infer<typeof TierPolicy>;

export const ClocksPolicy = z
  .object({
    /** Ordered; the first tier that matches a lead sets its clocks. */
    tiers: z.array(TierPolicy).min(1),
    /** Calendar for clocks whose team is not known (a lead the timer cannot match, a team missing from the policy). */
    defaultCalendarId: Id,
    /**
     * The second touch on another channel than the first when the lead has one:
     * `require` (a same-channel touch does not count), `prefer` (it counts; reporting flags it), `any`.
     */
    secondTouchChannel: z.enum(['require', 'prefer', 'any']).default('any'),
  })
  .strict();
export type ClocksPolicy = z.infer<typeof ClocksPolicy>;

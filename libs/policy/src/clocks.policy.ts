import { z } from 'zod';
import { ClockKind, EscalationAction } from '@lead-sla/contracts';
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
  })
  .strict();
export type ClockPolicy = z.infer<typeof ClockPolicy>;

export const TierPolicy = z
  .object({
    id: Id,
    /** Omitted: the tier matches every lead (use it last, as the default). */
    when: LeadMatch.optional(),
    clocks: z.partialRecord(ClockName, ClockPolicy),
  })
  .strict()
  .superRefine((t, ctx) => {
    t.clocks.data_cleanup?.ladder.forEach((step, i) => {
      if (step.action === 'reassign') {
        ctx.addIssue({ code: 'custom', path: ['clocks', 'data_cleanup', 'ladder', i, 'action'], message: 'data cleanup never reassigns the lead to a sales pool (only the fix returns it): use remind_owner or escalate_manager' });
      }
    });
  });
export type TierPolicy = z.infer<typeof TierPolicy>;

export const ClocksPolicy = z
  .object({
    /** Ordered; the first tier that matches a lead sets its clocks. */
    tiers: z.array(TierPolicy).min(1),
    /** Calendar for clocks that have no team yet (assign, unassigned queue). */
    defaultCalendarId: Id,
  })
  .strict();
export type ClocksPolicy = z.infer<typeof ClocksPolicy>;

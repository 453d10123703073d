import { z } from 'zod';

export const DispositionCodePolicy = z
  .object({
    code: z.string().min(1),
    label: z.string().optional(),
    /** Closing codes end the owner's work on the lead and stop its clocks. */
    closes: z.boolean(),
    requiresReason: z.boolean().default(false),
    requiresNextStep: z.boolean().default(false),
    /** Allowed only after the policy's minimum effort (e.g. "No Response"). */
    requiresMinimumEffort: z.boolean().default(false),
    outcome: z.enum(['none', 'recycle', 'suppress', 'qualify', 'data_cleanup']).default('none'),
    /** For recycle: the nurture track a recycled lead enters. */
    nurtureTrack: z.string().optional(),
    requalify: z
      .object({ trigger: z.enum(['time', 'signal', 'time_or_signal']), afterDays: z.number().positive().optional() })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.outcome === 'recycle' && !c.nurtureTrack) {
      ctx.addIssue({ code: 'custom', path: ['nurtureTrack'], message: 'a recycling code needs a nurtureTrack' });
    }
    if (c.outcome === 'recycle' && !c.requalify) {
      ctx.addIssue({ code: 'custom', path: ['requalify'], message: 'a recycling code needs a requalify trigger' });
    }
    if (c.requalify && c.requalify.trigger !== 'signal' && !c.requalify.afterDays) {
      ctx.addIssue({ code: 'custom', path: ['requalify', 'afterDays'], message: `trigger "${c.requalify.trigger}" needs afterDays` });
    }
  });
export type DispositionCodePolicy = z.infer<typeof DispositionCodePolicy>;

export const DispositionsPolicy = z
  .object({
    codes: z.array(DispositionCodePolicy).min(1),
    minimumEffort: z
      .object({
        attempts: z.number().int().positive().default(6),
        days: z.number().nonnegative().default(14),
        /** Require more than one channel when the lead has more than one. */
        multiChannel: z.boolean().default(true),
      })
      .strict()
      .default({ attempts: 6, days: 14, multiChannel: true }),
  })
  .strict();
export type DispositionsPolicy = z.infer<typeof DispositionsPolicy>;

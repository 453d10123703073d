import { z } from 'zod';

export const DispositionCodePolicy = z
  .object({
    code: z.string().min(1),
    label: z.string().optional(),
    /** Closing codes end the owner's work on the lead and stop its clocks. */
    closes: z.boolean(),
    /** Omitted: required on a closing code (unless exempted below), not on an open one. */
    requiresReason: z.boolean().optional(),
    /** Omitted: required on a closing code (unless exempted below), not on an open one. */
    requiresNextStep: z.boolean().optional(),
    /**
     * A closing code needs a reason and a next step (DOMAIN.md: every
     * close-out has both); only the fields listed here are waived for it.
     */
    closeOutExempt: z.array(z.enum(['reason', 'nextStep'])).default([]),
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
    const fields = [
      ['reason', 'requiresReason', c.requiresReason],
      ['nextStep', 'requiresNextStep', c.requiresNextStep],
    ] as const;
    for (const [field, flag, value] of fields) {
      if (c.closes && value === false && !c.closeOutExempt.includes(field)) {
        ctx.addIssue({ code: 'custom', path: [flag], message: `closing code "${c.code}" needs a ${field === 'reason' ? 'reason' : 'next step'}: list "${field}" in closeOutExempt to waive it` });
      }
      if (c.closes && value === true && c.closeOutExempt.includes(field)) {
        ctx.addIssue({ code: 'custom', path: [flag], message: `code "${c.code}" both requires and exempts "${field}": keep one` });
      }
    }
    if (!c.closes && c.closeOutExempt.length > 0) {
      ctx.addIssue({ code: 'custom', path: ['closeOutExempt'], message: `code "${c.code}" does not close the lead: closeOutExempt applies to closing codes only` });
    }
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

/** Whether a code requires a reason and a next step: a closing code needs both unless the policy exempts it. */
export function closeOutRequirements(c: DispositionCodePolicy): { readonly reason: boolean; readonly nextStep: boolean } {
  return {
    reason: c.requiresReason ?? (c.closes && !c.closeOutExempt.includes('reason')),
    nextStep: c.requiresNextStep ?? (c.closes && !c.closeOutExempt.includes('nextStep')),
  };
}

/** A reason an MQL can be rejected for: marketing counts rejections by these codes (and source). */
export const RejectReasonPolicy = z
  .object({
    code: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'reason codes are lower-case letters, digits, "_" and "-"'),
    label: z.string().optional(),
    /** The rep must add free text (e.g. for "other"). */
    requiresText: z.boolean().default(false),
  })
  .strict();
export type RejectReasonPolicy = z.infer<typeof RejectReasonPolicy>;

export const DispositionsPolicy = z
  .object({
    codes: z.array(DispositionCodePolicy).min(1),
    /** The codes a rejected MQL's reason must be one of; the default keeps free text (one "other" code that needs it). */
    rejectReasons: z.array(RejectReasonPolicy).min(1).default([{ code: 'other', label: 'Other', requiresText: true }]),
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

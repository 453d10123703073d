import { z } from 'zod';
import { PolicyId as Id } from './organisation.policy';

const OneOrMany = z.union([z.string(), z.array(z.string()).min(1)]).transform((v) => (Array.isArray(v) ? v : [v]));

/** What a rule or tier matches on; every given field must match (AND), a list matches any value (OR). */
export const LeadMatch = z
  .object({
    source: OneOrMany.optional(),
    territory: OneOrMany.optional(),
    segment: OneOrMany.optional(),
    intentTier: OneOrMany.optional(),
    vip: z.boolean().optional(),
  })
  .strict();
export type LeadMatch = z.infer<typeof LeadMatch>;

export const RoutingRulePolicy = z.object({ id: Id, when: LeadMatch, pool: Id }).strict();
export type RoutingRulePolicy = z.infer<typeof RoutingRulePolicy>;

export const RoutingPolicy = z
  .object({
    /** Ordered; the first rule that matches wins. */
    rules: z.array(RoutingRulePolicy).default([]),
    defaultPool: Id,
    /** The same contact again within this window goes to its current owner. */
    duplicateWindowMinutes: z.number().int().nonnegative().default(30 * 24 * 60),
    /** Static account ownership by company domain; learned ownership is added at run time. */
    accountOwners: z.record(z.string(), Id).default({}),
    /** Who owns leads while their contact data is being cleaned up. */
    dataCleanupOwner: Id.optional(),
    rotationPenalty: z
      .object({ misses: z.number().int().positive().default(2), windowDays: z.number().positive().default(7) })
      .strict()
      .default({ misses: 2, windowDays: 7 }),
    /** A reassignment never goes back to an owner the lead had within this many owners. */
    excludeRecentOwners: z.number().int().nonnegative().default(3),
    /**
     * A lead arriving while nobody of its pool is on shift: "assign_in_pool"
     * gives it at once to the pool's next rep by round robin (PTO,
     * unavailability, rotation removal and capacity still apply; the
     * first-touch clock counts from the next coverage start); "on_shift_only"
     * overflows to an on-shift backup pool or queues it until a shift starts.
     */
    afterHours: z.enum(['assign_in_pool', 'on_shift_only']).default('assign_in_pool'),
    /** The account executives' pool: a lead reaching SQL is handed to it (round robin there). Absent: no stage handoff. */
    aePool: Id.optional(),
    /**
     * The MQL threshold: a new lead is routed to sales when its score is at
     * least `minScore` or its source is a hand-raiser source; any other lead
     * is recorded as an inquiry and not routed. Absent: every lead is routed.
     */
    mql: z
      .object({ minScore: z.number().optional(), handRaiserSources: z.array(z.string().min(1)).default([]) })
      .strict()
      .refine((m) => m.minScore !== undefined || m.handRaiserSources.length > 0, { message: 'set minScore, handRaiserSources or both' })
      .optional(),
  })
  .strict();
export type RoutingPolicy = z.infer<typeof RoutingPolicy>;

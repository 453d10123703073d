/**
 * The digests as reporting answers them (GET /api/digests/missed-sla and
 * /api/digests/fallback-review, docs/notifications.md): notifications reads
 * them over HTTP, like any client, and never imports reporting's code.
 */
export interface MissedSlaDigest {
  readonly kind: 'missed-sla';
  readonly managerId: string;
  /** The local date reported, in each team's zone. */
  readonly date: string;
  readonly teams: ReadonlyArray<{
    readonly teamId: string;
    readonly timeZone: string;
    readonly from: string;
    readonly to: string;
    readonly breaches: number;
    readonly leads: number;
    readonly escalationSteps: number;
    readonly byClock: ReadonlyArray<{ readonly clock: string; readonly breaches: number }>;
    readonly byRep: ReadonlyArray<{ readonly repId: string | null; readonly breaches: number }>;
    readonly items: ReadonlyArray<{ readonly leadId: string; readonly clock: string; readonly ownerRepId: string | null; readonly deadline: string; readonly occurredAt: string; readonly minutesLate: number }>;
    /** Breaches left out of `items` (the list is capped). */
    readonly more: number;
  }>;
  readonly totals: { readonly breaches: number; readonly leads: number };
}

export interface FallbackReviewDigest {
  readonly kind: 'fallback-review';
  /** ISO week, e.g. "2026-W48" (Monday to Monday, UTC). */
  readonly week: string;
  readonly from: string;
  readonly to: string;
  /** The teams it covers; null: every team. */
  readonly teams: readonly string[] | null;
  readonly totals: { readonly reassignments: number; readonly leads: number };
  readonly byRep: ReadonlyArray<{ readonly repId: string | null; readonly teamId: string | null; readonly reassignments: number; readonly leads: number }>;
  readonly bySource: ReadonlyArray<{ readonly source: string; readonly reassignments: number; readonly leads: number }>;
}

export type DigestContent = MissedSlaDigest | FallbackReviewDigest;

/** The policy's MQL threshold (`routing.mql`), as this rule reads it. */
export interface MqlThreshold {
  /** A lead scoring at least this is an MQL; absent: the score never qualifies a lead. */
  readonly minScore?: number;
  /** Sources whose leads raised their hand (demo request, contact-sales form): an MQL whatever the score. */
  readonly handRaiserSources: readonly string[];
}

/**
 * Is a new lead a marketing-qualified lead, routed to sales? Without a
 * threshold in the policy every lead is (today's behaviour). With one: a
 * hand-raiser source, or a score at or above `minScore`. Anything else is an
 * inquiry: recorded, not routed, and no sales clock starts for it. Routing
 * (who gets the lead) and the timer (whether the assign clock starts) both
 * read this one rule.
 */
export function isMarketingQualified(lead: { readonly source: string; readonly score?: number }, threshold: MqlThreshold | undefined): boolean {
  if (threshold === undefined) return true;
  if (threshold.handRaiserSources.includes(lead.source)) return true;
  return threshold.minScore !== undefined && lead.score !== undefined && lead.score >= threshold.minScore;
}

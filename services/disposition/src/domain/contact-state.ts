import type { Channel, FunnelStage } from '@lead-sla/contracts';

/**
 * The disposition service's state is kept per contact (LeadCreated
 * `contact.contactKey`), not per lead: a new intent signal arrives as a new
 * LeadCreated with a new leadId, and suppression is a fact about a person.
 * A leadId → contactKey index finds the state of events that only carry a
 * leadId (see disposition-state.ts).
 */
export interface ContactState {
  readonly contactKey: string | null;
  /** Every lead seen for this contact, by leadId. */
  readonly leads: Readonly<Record<string, LeadState>>;
  /** Set once, never cleared: a suppressed contact is never routed again. */
  readonly suppression: Suppression | null;
}

export interface LeadState {
  readonly leadId: string;
  readonly createdAt: string;
  /** The channels we can reach the lead on, from LeadCreated. */
  readonly channels: readonly Channel[];
  readonly ownerRepId: string | null;
  readonly stage: FunnelStage;
  /** Owned attempts of the current working cycle (reset on re-qualification). */
  readonly attempts: readonly Attempt[];
  /** Present while the lead sits in a nurture track awaiting re-qualification. */
  readonly recycled: PendingRequalification | null;
  readonly suppressed: boolean;
  readonly bouncedChannels: readonly Channel[];
}

/** An owned, outbound, personal, non-automated touch by the owner of the time. */
export interface Attempt {
  readonly at: string;
  readonly repId: string;
  readonly channel: Channel;
}

export interface PendingRequalification {
  readonly code: string;
  readonly nurtureTrack: string;
  readonly trigger: 'time' | 'signal' | 'time_or_signal';
  /** Null when only a new intent signal re-qualifies the lead. */
  readonly requalifyAt: string | null;
  readonly recycledAt: string;
  /** The LeadRecycled event id: the cause of a later time-triggered LeadRequalified. */
  readonly recycledEventId: string;
  /** The LeadRecycled's correlation id, which the time-triggered LeadRequalified continues. */
  readonly correlationId: string;
  /** The policy version the recycle was decided under; the re-qualification honours it. */
  readonly policyVersion: string;
}

export interface Suppression {
  readonly since: string;
  /** The lead whose LeadSuppressed first suppressed the contact. */
  readonly leadId: string;
  readonly cause: 'disposition' | 'consent_withdrawn';
  readonly code: string | null;
  readonly reason: string | null;
}

export function initialContactState(contactKey: string | null = null): ContactState {
  return { contactKey, leads: {}, suppression: null };
}

import type { ClockKind } from '@lead-sla/contracts';

/**
 * Which clocks belong to the lead's owner: an owner change (a reassignment,
 * or the lead going to the queue because nobody could take it) or a
 * close-out stops them (the new owner gets fresh ones).
 */
export const OWNER_CLOCKS: readonly ClockKind[] = ['first_touch', 'second_touch', 'accept_reject', 'reply_escalation', 'effort'];

/**
 * Clocks that belong to the lead, not to one owner: the response-by-tier
 * promise ("a hot lead is contacted within 1 h") counts from the lead's
 * FIRST assignment and holds across reassignments; an owner change hands it
 * to the new owner (who holds it if it breaches), only a close-out stops it.
 */
export const LEAD_CLOCKS: readonly ClockKind[] = ['response'];

/** Clocks that run before anyone owns the lead; an assignment meets them. */
export const ASSIGNMENT_CLOCKS: readonly ClockKind[] = ['assign', 'unassigned_queue'];

/** Clocks a lead-facing after-hours acknowledgement is about: the lead waits for a person. */
export const ACKNOWLEDGED_CLOCKS: readonly ClockKind[] = ['assign', 'first_touch'];

/** Clocks an assignment starts for the new owner (accept_reject and response only once per cycle). */
export const CLOCKS_STARTED_BY_ASSIGNMENT: readonly ClockKind[] = ['first_touch', 'accept_reject', 'response'];

/**
 * Bad contact data: an assignment to the data-cleanup owner starts only the
 * cleanup clock (no sales clocks: no first touch to miss, nothing to
 * reassign); the assignment that returns the fixed lead meets it.
 */
export const CLOCKS_STARTED_BY_DATA_CLEANUP: readonly ClockKind[] = ['data_cleanup'];

/** Clocks the first owned touch starts. */
export const CLOCKS_STARTED_BY_FIRST_TOUCH: readonly ClockKind[] = ['second_touch', 'reply_escalation', 'effort'];

export function isOwnerClock(clock: ClockKind): boolean {
  return OWNER_CLOCKS.includes(clock);
}

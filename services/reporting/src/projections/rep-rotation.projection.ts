import type { LeadEvent, RepRotationChangedData } from '@lead-sla/contracts';

export type RotationMissRow = RepRotationChangedData['misses'][number];

/**
 * Each rep's rotation status as routing last decided it (RepRotationChanged):
 * behind the "reps out of rotation" endpoint, BI view and dashboard panel.
 * One row per rep that ever changed; a rep with no row was never removed.
 */
export interface RepRotationRow {
  readonly repId: string;
  readonly inRotation: boolean;
  /** When the current status began: "out of rotation since" while out, "back since" after a reinstatement. */
  readonly since: string;
  readonly cause: RepRotationChangedData['cause'];
  /** The misses that took the rep out (empty once reinstated: reinstating clears them). */
  readonly misses: readonly RotationMissRow[];
  /** The manager who reinstated the rep; null for a removal (routing decided it). */
  readonly changedBy: string | null;
  /** The RepRotationChanged the row reflects. */
  readonly eventId: string;
  readonly policyVersion: string;
}

/** The rep a rotation change is about; null for every other event. */
export function repRotationKeyOf(event: LeadEvent): string | null {
  return event.type === 'RepRotationChanged' ? event.data.repId : null;
}

/**
 * Folds one event into the rep's row. Pure and idempotent: the same event
 * again, or one older than the row's status, returns the row unchanged (the
 * same object, so a batch writes nothing for it).
 */
export function evolveRepRotation(row: RepRotationRow | null, event: LeadEvent): RepRotationRow | null {
  if (event.type !== 'RepRotationChanged') return row;
  if (row && (row.eventId === event.eventId || Date.parse(event.occurredAt) < Date.parse(row.since))) return row;
  const d = event.data;
  // A second removal while already out keeps the first "since": the rep has been out since then.
  const since = row && !row.inRotation && !d.inRotation ? row.since : event.occurredAt;
  return { repId: d.repId, inRotation: d.inRotation, since, cause: d.cause, misses: d.misses, changedBy: d.by, eventId: event.eventId, policyVersion: d.policyVersion };
}

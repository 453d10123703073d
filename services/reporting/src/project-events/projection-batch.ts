import type { LeadEvent } from '@lead-sla/contracts';
import { awaitingFirstTouchRowOf, type AwaitingFirstTouchRow } from '../projections/awaiting-first-touch.projection';
import { clockInstanceKeyOf, evolveClockInstance, type ClockInstanceRow } from '../projections/clock-instance.projection';
import { breachRowKeyOf, evolveBreachRow, type BreachRow } from '../projections/breach-row.projection';
import { evolveLeadRow, leadRowKeyOf, type LeadRow } from '../projections/lead-row.projection';

/** What one batch changes: lead rows to upsert, board rows to upsert or delete, breach rows to insert once. */
export interface ProjectionChanges {
  readonly leads: readonly LeadRow[];
  readonly boardUpserts: readonly AwaitingFirstTouchRow[];
  readonly boardDeletes: readonly string[];
  readonly breaches: readonly BreachRow[];
  readonly clockInstances: readonly ClockInstanceRow[];
}

/** The clock instance ids a batch touches. */
export function clockIdsOf(events: readonly LeadEvent[]): string[] {
  return [...new Set(events.flatMap((e) => clockInstanceKeyOf(e) ?? []))];
}

/** The lead ids a batch touches (to load their rows in one query). */
export function leadIdsOf(events: readonly LeadEvent[]): string[] {
  return [...new Set(events.flatMap((e) => leadRowKeyOf(e) ?? []))];
}

/**
 * Folds a batch in memory: every event through the pure projections, in log
 * order, starting from the stored rows. Only rows that really changed are
 * returned (an already applied event returns the same row object). Breach
 * rows are written once: the store keeps an existing row (insert-if-absent),
 * which is `evolveBreachRow(existing, e) === existing`.
 */
export function projectBatch(
  stored: ReadonlyMap<string, LeadRow>,
  events: readonly LeadEvent[],
  storedClocks: ReadonlyMap<string, ClockInstanceRow> = new Map(),
): ProjectionChanges {
  const current = new Map<string, LeadRow | null>(stored);
  const clocks = new Map<string, ClockInstanceRow | null>(storedClocks);
  const changedClocks = new Set<string>();
  const changed = new Set<string>();
  const breaches = new Map<string, BreachRow>();
  for (const event of events) {
    const key = leadRowKeyOf(event);
    if (key !== null) {
      const before = current.get(key) ?? null;
      const after = evolveLeadRow(before, event);
      if (after !== before) {
        current.set(key, after);
        changed.add(key);
      }
    }
    const clockId = clockInstanceKeyOf(event);
    if (clockId !== null) {
      const before = clocks.get(clockId) ?? null;
      const after = evolveClockInstance(before, event);
      if (after !== before) {
        clocks.set(clockId, after);
        changedClocks.add(clockId);
      }
    }
    const breachKey = breachRowKeyOf(event);
    if (breachKey !== null && !breaches.has(breachKey)) {
      const row = evolveBreachRow(null, event);
      if (row) breaches.set(breachKey, row);
    }
  }
  const leads: LeadRow[] = [];
  const boardUpserts: AwaitingFirstTouchRow[] = [];
  const boardDeletes: string[] = [];
  for (const key of changed) {
    const row = current.get(key) ?? null;
    if (row === null) continue;
    leads.push(row);
    const board = awaitingFirstTouchRowOf(row);
    if (board) boardUpserts.push(board);
    else boardDeletes.push(key);
  }
  const clockInstances = [...changedClocks].flatMap((id) => clocks.get(id) ?? []);
  return { leads, boardUpserts, boardDeletes, breaches: [...breaches.values()], clockInstances };
}

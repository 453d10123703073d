import { EventCatalogue, type EventType, type LeadEvent } from '@lead-sla/contracts';
import { awaitingFirstTouchRowOf, type AwaitingFirstTouchRow } from '../projections/awaiting-first-touch.projection';
import { breachRowKeyOf, evolveBreachRow, type BreachRow } from '../projections/breach-row.projection';
import { clockInstanceKeyOf, evolveClockInstance, type ClockInstanceRow } from '../projections/clock-instance.projection';
import { evolveLeadRow, leadRowKeyOf, type LeadRow } from '../projections/lead-row.projection';
import { evolveRepRotation, repRotationKeyOf, type RepRotationRow } from '../projections/rep-rotation.projection';
import { policyVersionKeyOf, policyVersionRowOf, type KnownPolicyVersion, type PolicyVersionRow } from '../projections/policy-version.projection';
import { RowMap } from '../projections/row-map.util';

/**
 * Reporting as a decider of the service kit: it decides nothing (no
 * emissions) and its `evolve` is the read models. Pure: the state is the
 * rows a batch touches, time comes only from the events.
 */
export interface ReportingState {
  readonly leads: RowMap<LeadRow>;
  readonly clocks: RowMap<ClockInstanceRow>;
  /** Breach rows are written once and never change: the state holds those seen in this batch (insert-if-absent). */
  readonly breaches: RowMap<BreachRow>;
  /** The board row of each lead in the state (null: not on the board), derived from its lead row. */
  readonly board: RowMap<AwaitingFirstTouchRow | null>;
  /** Rotation status of the reps a batch's RepRotationChanged events name. */
  readonly repRotation: RowMap<RepRotationRow>;
  /** Policy versions first seen in this batch (written once: the copies on other partitions are the same version). */
  readonly policyVersions: RowMap<PolicyVersionRow>;
  /** The newest version known (loaded when the batch holds a PolicyPublished): what a new version is compared with. */
  readonly newestPolicy: KnownPolicyVersion | null;
}

/** The projections read no policy and no clock. */
export type ReportingEnvironment = null;

/** Every event type: the lead row's never-checked switch handles each (rep facts change nothing). */
export const REPORTING_INPUT_TYPES = Object.keys(EventCatalogue) as EventType[];

export function reportingStateOf(
  leads: Iterable<LeadRow>,
  clocks: Iterable<ClockInstanceRow>,
  repRotation: Iterable<RepRotationRow> = [],
  newestPolicy: KnownPolicyVersion | null = null,
): ReportingState {
  const leadRows = [...leads];
  return {
    leads: RowMap.of(leadRows.map((l) => [l.leadId, l] as const)),
    clocks: RowMap.of([...clocks].map((c) => [c.clockId, c] as const)),
    breaches: RowMap.empty(),
    board: RowMap.of(leadRows.map((l) => [l.leadId, awaitingFirstTouchRowOf(l)] as const)),
    repRotation: RowMap.of([...repRotation].map((r) => [r.repId, r] as const)),
    policyVersions: RowMap.empty(),
    newestPolicy,
  };
}

export const EMPTY_REPORTING_STATE: ReportingState = reportingStateOf([], []);

/** One event through every read model; unchanged models keep their (same) maps. */
export function evolveReporting(state: ReportingState, event: LeadEvent): ReportingState {
  let next = state;
  const leadId = leadRowKeyOf(event);
  if (leadId !== null) {
    const before = next.leads.get(leadId) ?? null;
    const after = evolveLeadRow(before, event);
    if (after !== null && after !== before) {
      next = { ...next, leads: next.leads.set(leadId, after), board: next.board.set(leadId, awaitingFirstTouchRowOf(after)) };
    }
  }
  const clockId = clockInstanceKeyOf(event);
  if (clockId !== null) {
    const before = next.clocks.get(clockId) ?? null;
    const after = evolveClockInstance(before, event);
    if (after !== null && after !== before) next = { ...next, clocks: next.clocks.set(clockId, after) };
  }
  const breachKey = breachRowKeyOf(event);
  if (breachKey !== null && !next.breaches.has(breachKey)) {
    const row = evolveBreachRow(null, event);
    if (row) next = { ...next, breaches: next.breaches.set(breachKey, row) };
  }
  const repId = repRotationKeyOf(event);
  if (repId !== null) {
    const before = next.repRotation.get(repId) ?? null;
    const after = evolveRepRotation(before, event);
    if (after !== null && after !== before) next = { ...next, repRotation: next.repRotation.set(repId, after) };
  }
  const version = policyVersionKeyOf(event);
  if (version !== null && event.type === 'PolicyPublished' && !next.policyVersions.has(version) && next.newestPolicy?.version !== version) {
    // A late copy of an older version (its partition lags) is already in the history: it never becomes the newest.
    const newer = next.newestPolicy === null || Date.parse(event.data.publishedAt) > Date.parse(next.newestPolicy.publishedAt);
    if (newer) {
      next = {
        ...next,
        policyVersions: next.policyVersions.set(version, policyVersionRowOf(event, next.newestPolicy)),
        newestPolicy: { version, publishedAt: event.data.publishedAt, document: event.data.document },
      };
    }
  }
  return next;
}

/** The decider the service kit runs (and the rebuild folds): no decisions, only projections. */
export const reportingProjections = {
  decide: (): readonly never[] => [],
  evolve: (state: ReportingState, event: LeadEvent): ReportingState => evolveReporting(state, event),
};

/** What a batch changed: lead rows, clock instances and rep rotation rows to upsert, board rows to upsert or delete, breach rows to insert once. */
export interface ProjectionChanges {
  readonly leads: readonly LeadRow[];
  readonly clockInstances: readonly ClockInstanceRow[];
  readonly boardUpserts: readonly AwaitingFirstTouchRow[];
  readonly boardDeletes: readonly string[];
  readonly breaches: readonly BreachRow[];
  readonly repRotation: readonly RepRotationRow[];
  readonly policyVersions: readonly PolicyVersionRow[];
}

/** The rows that differ between the state before a batch and after it (evolve returns the same row for no change). */
export function changesOf(before: ReportingState, after: ReportingState): ProjectionChanges {
  const changed = <V>(b: RowMap<V>, a: RowMap<V>) => [...a.entries()].filter(([k, v]) => b.get(k) !== v);
  const board = changed(before.board, after.board);
  return {
    leads: changed(before.leads, after.leads).map(([, v]) => v),
    clockInstances: changed(before.clocks, after.clocks).map(([, v]) => v),
    boardUpserts: board.flatMap(([, v]) => (v === null ? [] : [v])),
    boardDeletes: board.filter(([k, v]) => v === null && (before.board.get(k) ?? null) !== null).map(([k]) => k),
    breaches: changed(before.breaches, after.breaches).map(([, v]) => v),
    repRotation: changed(before.repRotation, after.repRotation).map(([, v]) => v),
    policyVersions: changed(before.policyVersions, after.policyVersions).map(([, v]) => v),
  };
}

import type { LeadEvent } from '@lead-sla/contracts';
import { foldInputs } from '@lead-sla/decider';
import type { ClockInstanceRow } from '../projections/clock-instance.projection';
import { evolveLeadRow, type LeadRow } from '../projections/lead-row.projection';
import type { RepRotationRow } from '../projections/rep-rotation.projection';
import {
  at,
  event,
  leadAssigned,
  leadCreated,
  leadReassigned,
  leadTouched,
  replay,
  slaBreached,
  slaClockStarted,
  slaClockStopped,
  slaEscalated,
} from '../testing/lead-events.fixture';
import { leadColumnsOf } from './read-model-columns';
import { clockIdsOf, repIdsOf, ReportingDeciderService } from './reporting-decider.service';
import { changesOf, EMPTY_REPORTING_STATE, reportingProjections, reportingStateOf, type ReportingState } from './reporting-projections.evolve';

const A = 'lead-a';
const B = 'lead-b';

const stream: LeadEvent[] = [
  leadCreated(A, at(0)),
  leadCreated(B, at(0), { source: 'demo_request' }),
  leadAssigned(A, at(1), 'rep-1'),
  slaClockStarted(A, at(1), 'first_touch', { clockId: 'a1', ownerRepId: 'rep-1', deadline: at(11) }),
  leadAssigned(B, at(1), 'rep-2'),
  slaClockStarted(B, at(1), 'first_touch', { clockId: 'b1', ownerRepId: 'rep-2', deadline: at(11) }),
  leadTouched(B, at(2), 'rep-2'),
  slaClockStopped(B, at(2), 'first_touch', 'met', { clockId: 'b1', ownerRepId: 'rep-2', deadline: at(11) }),
  slaBreached(A, at(11), 'first_touch', { clockId: 'a1', ownerRepId: 'rep-1', startedAt: at(1), deadline: at(11) }),
  slaEscalated(A, at(11), 'first_touch', 1, 'reassign', { clockId: 'a1', ownerRepId: 'rep-1', startedAt: at(1), deadline: at(11) }),
  leadReassigned(A, at(12), 'rep-3', 'rep-1'),
  slaClockStarted(A, at(12), 'first_touch', { clockId: 'a2', ownerRepId: 'rep-3', deadline: at(22) }),
  event('RepRotationChanged', null, at(12), {
    repId: 'rep-1', inRotation: false, cause: 'sla_misses', misses: [{ leadId: A, clock: 'first_touch', breachedAt: at(11) }], by: null, policyVersion: 'p1',
  }),
  event('RepRotationChanged', null, at(13), { repId: 'rep-4', inRotation: false, cause: 'sla_misses', misses: [], by: null, policyVersion: 'p1' }),
  event('RepRotationChanged', null, at(20), { repId: 'rep-4', inRotation: true, cause: 'manager_reinstated', misses: [], by: 'mgr-a', policyVersion: 'p1' }),
];

const now = new Date(at(30));

/** One batch through the kit's pure fold, from the stored state (what the runtime does between load and save). */
function projectBatch(stored: ReportingState, events: readonly LeadEvent[]) {
  const { state, emitted } = foldInputs(reportingProjections, stored, events, () => null, now);
  expect(emitted).toEqual([]);
  return changesOf(stored, state);
}

/** The stored state for a batch, as the store loads it from what earlier batches wrote. */
function storedFor(leads: ReadonlyMap<string, LeadRow>, clocks: ReadonlyMap<string, ClockInstanceRow>, reps: ReadonlyMap<string, RepRotationRow>, events: readonly LeadEvent[]) {
  const leadIds = new Set(events.flatMap((e) => (e.leadId === null ? [] : [e.leadId])));
  const clockIds = new Set(clockIdsOf(events));
  const repIds = new Set(repIdsOf(events));
  return reportingStateOf(
    [...leads.values()].filter((l) => leadIds.has(l.leadId)),
    [...clocks.values()].filter((c) => clockIds.has(c.clockId)),
    [...reps.values()].filter((r) => repIds.has(r.repId)),
  );
}

/** Applies a stream in batches of `size`, carrying the written rows like the store does. */
function inBatches(events: readonly LeadEvent[], size: number) {
  const leads = new Map<string, LeadRow>();
  const clocks = new Map<string, ClockInstanceRow>();
  const board = new Map<string, string>();
  const breaches = new Set<string>();
  const reps = new Map<string, RepRotationRow>();
  for (let i = 0; i < events.length; i += size) {
    const batch = events.slice(i, i + size);
    const changes = projectBatch(storedFor(leads, clocks, reps, batch), batch);
    for (const l of changes.leads) leads.set(l.leadId, l);
    for (const c of changes.clockInstances) clocks.set(c.clockId, c);
    for (const b of changes.boardUpserts) board.set(b.leadId, b.ownerRepId);
    for (const d of changes.boardDeletes) board.delete(d);
    for (const b of changes.breaches) breaches.add(b.breachKey);
    for (const r of changes.repRotation) reps.set(r.repId, r);
  }
  return { leads, clocks, board, breaches, reps };
}

describe('projecting a batch in memory', () => {
  it('gives the same rows whatever the batch size, equal to applying events one by one', () => {
    const one = inBatches(stream, 1);
    for (const size of [2, 3, 7, stream.length]) expect(inBatches(stream, size)).toEqual(one);
    expect(one.leads.get(A)).toEqual(replay(evolveLeadRow, stream.filter((e) => e.leadId === A)));
  });

  it('moves the board row to the new owner after a reassignment and drops the touched lead', () => {
    const { board, breaches } = inBatches(stream, 4);
    expect([...board.entries()]).toEqual([[A, 'rep-3']]);
    expect([...breaches].sort()).toEqual([`${A}/a1/breach`, `${A}/a1/step-1`]);
  });

  it('changes nothing when the same events arrive again, in one batch or a later one', () => {
    const first = inBatches(stream, 5);
    const again = projectBatch(storedFor(first.leads, first.clocks, first.reps, stream), stream);
    expect(again.leads).toEqual([]);
    expect(again.boardUpserts).toEqual([]);
    expect(again.boardDeletes).toEqual([]);
    expect(again.clockInstances).toEqual([]);
    expect(again.repRotation).toEqual([]);
    expect(inBatches([...stream, ...stream], 4).leads).toEqual(first.leads);
  });

  it('loads each touched lead and clock instance once', () => {
    const consumer = new ReportingDeciderService(null as never);
    expect([...new Set([...stream, ...stream].flatMap((e) => consumer.keysOf(e)))]).toEqual([A, B]);
    expect(clockIdsOf([...stream, ...stream])).toEqual(['a1', 'b1', 'a2']);
  });

  it('keeps the rotation status of each rep a RepRotationChanged names, loading each rep once', () => {
    const { reps } = inBatches(stream, 2);
    expect([...reps.values()].map((r) => [r.repId, r.inRotation, r.since, r.misses.length])).toEqual([
      ['rep-1', false, at(12), 1],
      ['rep-4', true, at(20), 0],
    ]);
    expect(repIdsOf([...stream, ...stream])).toEqual(['rep-1', 'rep-4']);
  });

  it('decides nothing: reporting only projects', () => {
    expect(foldInputs(reportingProjections, EMPTY_REPORTING_STATE, stream, () => null, now).emitted).toEqual([]);
  });

  it('stores the columns BI filters on next to the row', () => {
    const { leads } = inBatches(stream, 3);
    expect(leadColumnsOf(leads.get(B)!)).toMatchObject({
      lead_id: B, source: 'demo_request', created_day: at(0).slice(0, 10), first_owner_rep_id: 'rep-2', speed_to_lead_seconds: 120,
      sla_first_touch_status: 'met', attempts: 1, status: 'working',
    });
    expect(leadColumnsOf(leads.get(A)!)).toMatchObject({ sla_first_touch_status: 'breached', breach_count: 1, reassignment_count: 1, current_rep_id: 'rep-3', first_touch_deadline: at(22) });
  });

  describe("the second-touch channel flag (policy secondTouchChannel: prefer)", () => {
    const columnsAfter = (events: LeadEvent[]) => leadColumnsOf(inBatches(events, 10).leads.get('lead-c')!);
    const start = (channels: Array<'phone' | 'email'>) => [leadCreated('lead-c', at(0), { channels }), leadAssigned('lead-c', at(1), 'rep-1'), leadTouched('lead-c', at(2), 'rep-1')];
    it('Given a lead with phone and email, When the second touch is another call, Then the row is flagged', () => {
      expect(columnsAfter([...start(['phone', 'email']), leadTouched('lead-c', at(3), 'rep-1')])).toMatchObject({ second_touch_channel: 'phone', second_touch_same_channel: true });
    });
    it('Given a lead with phone and email, When the second touch is an email, Then it is not flagged', () => {
      expect(columnsAfter([...start(['phone', 'email']), leadTouched('lead-c', at(3), 'rep-1', { channel: 'email' })])).toMatchObject({ second_touch_same_channel: false });
    });
    it('Given a phone-only lead, When the second touch is another call, Then it is not flagged; before a second touch there is no flag', () => {
      expect(columnsAfter([...start(['phone']), leadTouched('lead-c', at(3), 'rep-1')])).toMatchObject({ second_touch_same_channel: false });
      expect(columnsAfter(start(['phone', 'email']))).toMatchObject({ second_touch_same_channel: null });
    });
  });
});

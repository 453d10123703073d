import { awaitingFirstTouchRowOf } from './awaiting-first-touch.projection';
import { breachRowKeyOf, evolveBreachRow } from './breach-row.projection';
import { evolveLeadRow, type LeadRow } from './lead-row.projection';
import {
  at,
  deepFreeze,
  leadAssigned,
  leadCreated,
  leadReassigned,
  leadTouched,
  replay,
  slaBreached,
  slaClockStarted,
  slaClockStopped,
} from '../testing/lead-events.fixture';

const LEAD = 'lead-clock';
type E = Parameters<typeof evolveLeadRow>[1];

function given(...events: E[]): LeadRow {
  const row = replay(evolveLeadRow, events);
  if (row === null) throw new Error('expected a lead row');
  return deepFreeze(row);
}

describe('timer clock facts in the lead row and the board', () => {
  const created = leadCreated(LEAD, at(0));
  const assigned = leadAssigned(LEAD, at(1), 'rep-1');
  const started = slaClockStarted(LEAD, at(1), 'first_touch', { clockId: 'c1', ownerRepId: 'rep-1', deadline: at(11) });

  it('knows the first-touch deadline from the moment the clock starts, so the board can count down', () => {
    const row = given(created, assigned, started);
    expect(row.sla.first_touch).toMatchObject({ status: 'pending', clockId: 'c1', deadline: at(11), ownerRepId: 'rep-1', instanceStartedAt: at(1) });
    expect(awaitingFirstTouchRowOf(row)).toMatchObject({ leadId: LEAD, ownerRepId: 'rep-1', deadline: at(11), clockId: 'c1', breached: false });
  });

  it('marks the clock met when the timer says so and takes the lead off the board after the owned touch', () => {
    const row = given(created, assigned, started, leadTouched(LEAD, at(3), 'rep-1'), slaClockStopped(LEAD, at(3), 'first_touch', 'met', { clockId: 'c1', deadline: at(11) }));
    expect(row.sla.first_touch).toMatchObject({ status: 'met', stoppedAt: at(3), deadline: at(11) });
    expect(awaitingFirstTouchRowOf(row)).toBeNull();
  });

  it('records met from the timer even for a clock with no stopping fact in the log (effort)', () => {
    const row = given(created, assigned, slaClockStarted(LEAD, at(2), 'effort', { clockId: 'e1', deadline: at(9000) }), slaClockStopped(LEAD, at(5000), 'effort', 'met', { clockId: 'e1', deadline: at(9000) }));
    expect(row.sla.effort).toMatchObject({ status: 'met', stoppedAt: at(5000) });
  });

  it('ignores a cancelled instance and a stop of an older instance', () => {
    const restarted = slaClockStarted(LEAD, at(12), 'first_touch', { clockId: 'c2', ownerRepId: 'rep-2', deadline: at(22) });
    const row = given(
      created,
      assigned,
      started,
      slaBreached(LEAD, at(11), 'first_touch', { clockId: 'c1', ownerRepId: 'rep-1', startedAt: at(1), deadline: at(11) }),
      leadReassigned(LEAD, at(12), 'rep-2', 'rep-1'),
      restarted,
      slaClockStopped(LEAD, at(12), 'first_touch', 'cancelled', { clockId: 'c1', deadline: at(11) }),
      slaClockStopped(LEAD, at(13), 'first_touch', 'met', { clockId: 'c1', deadline: at(11) }),
    );
    expect(row.sla.first_touch).toMatchObject({ status: 'breached', clockId: 'c2', deadline: at(22), stoppedAt: null });
    // The board follows the new owner and the new instance's deadline.
    expect(awaitingFirstTouchRowOf(row)).toMatchObject({ ownerRepId: 'rep-2', deadline: at(22), clockId: 'c2', breached: false });
  });

  it('keeps a breach when the met of the same instance arrives later', () => {
    const row = given(
      created,
      assigned,
      started,
      slaBreached(LEAD, at(11), 'first_touch', { clockId: 'c1', ownerRepId: 'rep-1', startedAt: at(1), deadline: at(11) }),
      slaClockStopped(LEAD, at(12), 'first_touch', 'met', { clockId: 'c1', deadline: at(11) }),
    );
    expect(row.sla.first_touch.status).toBe('breached');
  });

  it('leaves rows unchanged when the same clock facts are delivered twice, in any interleaving', () => {
    const stopped = slaClockStopped(LEAD, at(3), 'first_touch', 'met', { clockId: 'c1', deadline: at(11) });
    const touch = leadTouched(LEAD, at(3), 'rep-1');
    const once = given(created, assigned, started, touch, stopped);
    const twice = given(created, assigned, started, started, touch, assigned, stopped, touch, stopped, created);
    expect(twice).toEqual(once);
    expect(evolveLeadRow(once, stopped)).toBe(once);
  });

  it('writes no breach row for clock start or stop facts', () => {
    expect(breachRowKeyOf(started)).toBeNull();
    expect(evolveBreachRow(null, started)).toBeNull();
  });
});

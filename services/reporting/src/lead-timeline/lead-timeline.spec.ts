import { evolveLeadRow } from '../projections/lead-row.projection';
import { at, leadAssigned, leadCreated, leadReassigned, leadTouched, replay, slaBreached } from '../testing/lead-events.fixture';
import { timelineOf } from './lead-timeline';

describe('lead timeline', () => {
  it('lists the milestones of a lead in time order, with each owner change and the breach', () => {
    const L = 'lead-t';
    const row = replay(evolveLeadRow, [
      leadCreated(L, at(0)),
      leadAssigned(L, at(1), 'rep-1'),
      slaBreached(L, at(11), 'first_touch', { clockId: 'c1', ownerRepId: 'rep-1', startedAt: at(1), deadline: at(11) }),
      leadReassigned(L, at(12), 'rep-2', 'rep-1'),
      leadTouched(L, at(13), 'rep-2', { channel: 'sms' }),
    ]);
    const timeline = timelineOf(row!);
    expect(timeline.map((e) => [e.at, e.what])).toEqual([
      [at(0), 'created'],
      [at(1), 'assigned'],
      [at(11), 'SLA breached'],
      [at(12), 'reassigned'],
      [at(13), 'first owned touch'],
    ]);
    expect(timeline[2].detail).toEqual({ clock: 'first_touch', deadline: at(11) });
    expect(timeline[3].detail).toMatchObject({ repId: 'rep-2', previousRepId: 'rep-1', cause: 'first_touch SLA breached' });
    expect(timeline[4].detail).toEqual({ repId: 'rep-2', channel: 'sms' });
  });

  it("calls a manager's reassignment a reassignment too, with its cause, though it is no SLA fallback", () => {
    const L = 'lead-m';
    const row = replay(evolveLeadRow, [
      leadCreated(L, at(0)),
      leadAssigned(L, at(1), 'rep-1'),
      leadReassigned(L, at(5), 'rep-2', 'rep-1', { reassignment: false, reassignmentCause: 'reassigned by manager mgr-a: covers today' }),
    ]);
    const moved = timelineOf(row!).find((e) => e.at === at(5));
    expect(moved).toMatchObject({ what: 'reassigned', detail: { repId: 'rep-2', previousRepId: 'rep-1', cause: 'reassigned by manager mgr-a: covers today' } });
    expect(row!.reassignmentCount).toBe(0);
  });
});

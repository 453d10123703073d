import { clockInstanceKeyOf, evolveClockInstance } from './clock-instance.projection';
import { at, deepFreeze, leadCreated, replay, slaBreached, slaClockStarted, slaClockStopped, slaEscalated, slaWarning } from '../testing/lead-events.fixture';

const LEAD = 'lead-ci';

describe('clock instance projection (the timeline clock math)', () => {
  const started = slaClockStarted(LEAD, at(1), 'first_touch', { clockId: 'c1', ownerRepId: 'rep-1', deadline: at(11) });

  it('records the clock math when the instance starts', () => {
    const row = replay(evolveClockInstance, [started]);
    expect(row).toMatchObject({ clockId: 'c1', leadId: LEAD, clock: 'first_touch', ownerRepId: 'rep-1', deadline: at(11), outcome: null });
    expect(row?.math).toEqual({ startedAt: at(1), coverageStart: at(1), coverageMinutes: 10, deadline: at(11), calendarId: 'cal-emea', timeZone: 'Europe/London' });
  });

  it('keeps the first warning, breach and the highest escalation step, and is unchanged by duplicates', () => {
    const warn = slaWarning(LEAD, at(9), 'first_touch', { clockId: 'c1', deadline: at(11), startedAt: at(1) });
    const breach = slaBreached(LEAD, at(11), 'first_touch', { clockId: 'c1', deadline: at(11), startedAt: at(1) });
    const step = slaEscalated(LEAD, at(12), 'first_touch', 1, 'reassign', { clockId: 'c1', deadline: at(11), startedAt: at(1) });
    const once = deepFreeze(replay(evolveClockInstance, [started, warn, breach, step]));
    expect(once).toMatchObject({ warnedAt: at(9), breachedAt: at(11), escalationSteps: 1 });
    for (const e of [started, warn, breach, step]) expect(evolveClockInstance(once, e)).toBe(once);
  });

  it('records the stop outcome once, also when the stop is the first fact seen', () => {
    const stop = slaClockStopped(LEAD, at(3), 'first_touch', 'met', { clockId: 'c1', deadline: at(11) });
    const row = deepFreeze(replay(evolveClockInstance, [started, stop]));
    expect(row).toMatchObject({ outcome: 'met', stoppedAt: at(3) });
    expect(evolveClockInstance(row, slaClockStopped(LEAD, at(4), 'first_touch', 'cancelled', { clockId: 'c1', deadline: at(11) }))).toBe(row);
    expect(replay(evolveClockInstance, [stop])).toMatchObject({ outcome: 'met', math: null, deadline: at(11) });
  });

  it('has no row for other events', () => {
    const created = leadCreated(LEAD, at(0));
    expect(clockInstanceKeyOf(created)).toBeNull();
    expect(evolveClockInstance(null, created)).toBeNull();
  });
});

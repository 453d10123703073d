import { assigned, backFromCleanup, created, testPolicy, toCleanup, touched } from '../testing/timer.fixture';
import { TimerHarness } from '../testing/timer.harness';

// 2026-11-24 is a Tuesday; the owner's team (emea) works London office hours 09:00–17:00,
// the data-cleanup desk (cai, team ops) is always on. Cleanup: 240 minutes, then the manager.
const T = (hhmm: string, date = '2026-11-24') => `${date}T${hhmm}:00.000Z`;

describe('data-cleanup clock (bad contact data round trip)', () => {
  const bounced = () => new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), toCleanup(T('10:03'), 'ava'));

  it("measures the lead's time with the data-cleanup owner by its own clock, and starts no sales clock there", () => {
    const timer = bounced();
    expect(timer.clockLog().slice(-4)).toEqual([
      `${T('10:03')} SlaClockStopped first_touch cancelled at ${T('10:03')}`,
      `${T('10:03')} SlaClockStopped accept_reject cancelled at ${T('10:03')}`,
      `${T('10:03')} SlaClockStopped response cancelled at ${T('10:03')}`,
      `${T('10:03')} SlaClockStarted data_cleanup (deadline ${T('14:03')})`,
    ]);
    expect(timer.pending().map((p) => p.split(' ')[1])).toEqual(['data_cleanup']);
  });

  it('breaches in cleanup with the ladder of its clock (escalating to the manager), never a first-touch reassignment', () => {
    const timer = bounced().advanceTo(T('20:00'));
    expect(timer.log()).toEqual([`${T('14:03')} SlaBreached data_cleanup owner=cai`, `${T('14:03')} SlaEscalated data_cleanup step 1 escalate_manager (last)`]);
  });

  it('a fix one hour after the bounce meets the cleanup clock and restarts first touch for the owner it returns to', () => {
    const timer = bounced().given(backFromCleanup(T('11:03'), 'ava'));
    expect(timer.clockLog().slice(-4)).toEqual([
      `${T('11:03')} SlaClockStopped data_cleanup met at ${T('11:03')}`,
      `${T('11:03')} SlaClockStarted first_touch (deadline ${T('11:13')})`,
      `${T('11:03')} SlaClockStarted accept_reject (deadline ${T('11:03', '2026-11-25')})`,
      `${T('11:03')} SlaClockStarted response (deadline ${T('12:03')})`,
    ]);
    expect(timer.lead.owner?.repId).toBe('ava');
    // The owner's touch within the restarted ten minutes meets first touch.
    timer.given(touched(T('11:10'), 'ava')).advanceTo(T('12:00'));
    expect(timer.log().filter((l) => l.includes('first_touch'))).toEqual([]);
  });

  it('a fix however late (after the cleanup breach and days later) still restarts first touch for the owner', () => {
    const timer = bounced().advanceTo(T('09:00', '2026-11-27')).given(backFromCleanup(T('09:30', '2026-11-27'), 'ava')).advanceTo(T('10:00', '2026-11-27'));
    expect(timer.clockLog().at(-3)).toBe(`${T('09:30', '2026-11-27')} SlaClockStarted first_touch (deadline ${T('09:40', '2026-11-27')})`);
    expect(timer.log()).toContain(`${T('09:40', '2026-11-27')} SlaBreached first_touch owner=ava`);
  });
});

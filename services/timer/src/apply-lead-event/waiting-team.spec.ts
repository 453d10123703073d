import { assigned, created, queued, testPolicy } from '../testing/timer.fixture';
import { TimerHarness } from '../testing/timer.harness';

// 2026-11-24 is a Tuesday. The test policy routes every lead to the emea pool (team emea, London office hours 09:00–17:00,
// manager mgr-emea); the default calendar is always-on.
const T = (hhmm: string, date = '2026-11-24') => `${date}T${hhmm}:00.000Z`;

describe('assign clock: on the calendar of the team the lead is routed to', () => {
  it('Given the London office is closed, When a lead arrives at 18:29, Then its assign deadline is 2 office minutes after 09:00 and it is acknowledged at once', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('18:29')));
    expect(timer.pending()).toEqual([`${T('09:02', '2026-11-25')} assign breach`]);
    expect(timer.log()).toEqual([`${T('18:29')} LeadAcknowledged from ${T('09:00', '2026-11-25')}`]);
  });

  it('Given a lead one minute before the office opens, When nobody is assigned, Then the assign clock breaches at 09:02 naming the team and its manager', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('08:59'))).advanceTo(T('10:00'));
    const breach = timer.emitted.find((e) => e.type === 'SlaBreached');
    expect(breach?.occurredAt).toBe(T('09:02'));
    expect(breach?.data).toMatchObject({ clock: 'assign', ownerRepId: null, teamId: 'emea', managerId: 'mgr-emea', math: { calendarId: 'london-office' } });
  });
});

describe('unassigned-queue clock: the queue is never silent', () => {
  it("Given a lead queued in the emea pool, When nobody takes it within 15 office minutes, Then the breach names the pool's team manager", () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), queued(T('10:00'))).advanceTo(T('11:00'));
    const breach = timer.emitted.find((e) => e.type === 'SlaBreached' && e.data.clock === 'unassigned_queue');
    expect(breach?.occurredAt).toBe(T('10:15'));
    expect(breach?.data).toMatchObject({ ownerRepId: null, teamId: 'emea', managerId: 'mgr-emea' });
  });

  it('Given a queued lead, When a rep is assigned from the queue, Then the queue clock is met', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), queued(T('10:00')), assigned(T('10:10'), 'ava')).advanceTo(T('11:00'));
    expect(timer.clockLog()).toContain(`${T('10:10')} SlaClockStopped unassigned_queue met at ${T('10:10')}`);
    expect(timer.log().filter((l) => l.includes('unassigned_queue'))).toEqual([]);
  });
});

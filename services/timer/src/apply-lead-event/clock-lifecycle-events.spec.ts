import { parseEvent } from '@lead-sla/contracts';
import { assigned, created, rejected, testPolicy, touched } from '../testing/timer.fixture';
import { TimerHarness } from '../testing/timer.harness';

// 2026-11-24 is a Tuesday; London office hours 09:00–17:00 (GMT).
const T = (hhmm: string, date = '2026-11-24') => `${date}T${hhmm}:00.000Z`;

describe('clock start and stop events', () => {
  it('announce each clock with its deadline when it starts, so the board can count down', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'));
    expect(timer.clockLog()).toEqual([
      `${T('10:00')} SlaClockStarted assign (deadline ${T('10:02')})`,
      `${T('10:01')} SlaClockStopped assign met at ${T('10:01')}`,
      `${T('10:01')} SlaClockStarted first_touch (deadline ${T('10:11')})`,
      `${T('10:01')} SlaClockStarted accept_reject (deadline ${T('10:01', '2026-11-25')})`,
      `${T('10:01')} SlaClockStarted response (deadline ${T('11:01')})`,
    ]);
    for (const e of timer.emitted) expect(parseEvent(JSON.parse(JSON.stringify(e)))).toMatchObject({ ok: true });
  });

  it('carry the after-hours math: an evening assignment counts from the next morning', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('18:29')), assigned(T('18:30'), 'ava'));
    const started = timer.emitted.find((e) => e.type === 'SlaClockStarted' && e.data.clock === 'first_touch');
    expect(started?.type === 'SlaClockStarted' ? started.data : null).toMatchObject({
      ownerRepId: 'ava',
      teamId: 'emea',
      managerId: 'mgr-emea',
      policyVersion: 'test-1',
      math: { startedAt: T('18:30'), coverageStart: T('09:00', '2026-11-25'), coverageMinutes: 10, deadline: T('09:10', '2026-11-25'), calendarId: 'london-office' },
    });
  });

  it('report an owned touch before the deadline as met, and the owner change as cancelled', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:05'), 'ava'), assigned(T('10:06'), 'ben', 'emea', 'ava'));
    expect(timer.clockLog().filter((l) => l.includes('Stopped'))).toEqual([
      `${T('10:01')} SlaClockStopped assign met at ${T('10:01')}`,
      `${T('10:05')} SlaClockStopped first_touch met at ${T('10:05')}`,
      `${T('10:05')} SlaClockStopped response met at ${T('10:05')}`,
      `${T('10:06')} SlaClockStopped accept_reject cancelled at ${T('10:06')}`,
      `${T('10:06')} SlaClockStopped second_touch cancelled at ${T('10:06')}`,
      `${T('10:06')} SlaClockStopped reply_escalation cancelled at ${T('10:06')}`,
    ]);
  });

  it('say nothing for a stop at or after the deadline: SlaBreached tells that outcome', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:11'), 'ava')).advanceTo(T('10:12'));
    expect(timer.clockLog().filter((l) => l.includes('first_touch') && l.includes('Stopped'))).toEqual([]);
    expect(timer.log()).toContain(`${T('10:11')} SlaBreached first_touch owner=ava`);
  });

  it('report a rejection as the SAL decision meeting the accept/reject clock', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), rejected(T('10:03'), 'ava'));
    expect(timer.clockLog().filter((l) => l.includes('Stopped') && l.includes('10:03'))).toEqual([
      `${T('10:03')} SlaClockStopped accept_reject met at ${T('10:03')}`,
      `${T('10:03')} SlaClockStopped first_touch cancelled at ${T('10:03')}`,
      `${T('10:03')} SlaClockStopped response cancelled at ${T('10:03')}`,
    ]);
  });

  it('have one id per clock start and per clock stop', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:05'), 'ava'));
    const ids = timer.emitted.map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

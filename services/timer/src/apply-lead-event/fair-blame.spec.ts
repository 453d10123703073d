import { assigned, created, queued, testPolicy, touched } from '../testing/timer.fixture';
import { TimerHarness } from '../testing/timer.harness';

// 2026-11-24 is a Tuesday; London office hours 09:00–17:00 (GMT). First touch: 10 coverage minutes.
const T = (hhmm: string, date = '2026-11-24') => `${date}T${hhmm}:00.000Z`;
const breachesOf = (timer: TimerHarness) => timer.log().filter((l) => l.includes('SlaBreached'));

describe('fair blame: a breach belongs to the rep who held the lead when the clock breached', () => {
  it('Given ava assigned at 10:01, When the lead is reassigned to ben one millisecond before her deadline, Then no breach names ava', () => {
    const timer = new TimerHarness(testPolicy())
      .given(created(T('10:00')), assigned(T('10:01'), 'ava'), assigned('2026-11-24T10:10:59.999Z', 'ben', 'emea', 'ava'))
      .advanceTo(T('10:30'));
    expect(breachesOf(timer).join()).not.toContain('owner=ava');
    expect(breachesOf(timer)).toContain('2026-11-24T10:20:59.999Z SlaBreached first_touch owner=ben');
  });

  it('Given ava assigned at 10:01, When the reassignment comes at her deadline exactly, Then the breach is still hers (she held the lead when it breached)', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), assigned(T('10:11'), 'ben', 'emea', 'ava')).advanceTo(T('10:12'));
    expect(breachesOf(timer)).toEqual([`${T('10:11')} SlaBreached first_touch owner=ava`]);
  });

  it('Given ava assigned, When a reassignment finds nobody and queues the lead, Then her clocks stop and never breach as hers', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), queued(T('10:05'))).advanceTo(T('12:00'));
    expect(timer.clockLog().filter((l) => l.includes('10:05') && l.includes('Stopped'))).toEqual([
      `${T('10:05')} SlaClockStopped first_touch cancelled at ${T('10:05')}`,
      `${T('10:05')} SlaClockStopped accept_reject cancelled at ${T('10:05')}`,
    ]);
    expect(timer.log().join()).not.toContain('owner=ava');
    expect(timer.lead.owner).toBeNull();
  });

  it('Given a queued lead, When ben is assigned from the queue, Then he gets fresh first-touch clocks and an owned touch by ava no longer counts', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), queued(T('10:05')), touched(T('10:06'), 'ava'), assigned(T('10:20'), 'ben'));
    expect(timer.pending()).toContain(`${T('10:30')} first_touch breach`);
  });
});

describe('response-by-tier clock: per lead, from its first assignment', () => {
  it('Given ava assigned at 10:01 (response: 60 min), When the lead is reassigned to ben at 10:30, Then the response deadline stays 11:01 and the breach names ben', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), assigned(T('10:30'), 'ben', 'emea', 'ava'));
    expect(timer.pending().filter((p) => p.includes('response'))).toEqual([`${T('11:01')} response breach`]);
    timer.advanceTo(T('11:30'));
    expect(breachesOf(timer)).toContain(`${T('11:01')} SlaBreached response owner=ben`);
    expect(timer.clockLog().filter((l) => l.includes('SlaClockStarted response'))).toHaveLength(1);
  });

  it('Given a reassignment, When the new owner makes the first owned touch before the first deadline, Then the response clock is met', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), assigned(T('10:30'), 'ben', 'emea', 'ava'), touched(T('10:35'), 'ben'));
    expect(timer.clockLog()).toContain(`${T('10:35')} SlaClockStopped response met at ${T('10:35')}`);
  });
});

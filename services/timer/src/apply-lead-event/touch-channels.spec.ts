import type { Policy } from '@lead-sla/policy';
import { assigned, created, testPolicy, touched } from '../testing/timer.fixture';
import { TimerHarness } from '../testing/timer.harness';

// 2026-11-24 is a Tuesday, London office hours; second touch: 30 minutes after the first.
const T = (hhmm: string, date = '2026-11-24') => `${date}T${hhmm}:00.000Z`;

function withSecondTouch(rule: 'require' | 'prefer' | 'any'): Policy {
  const p = testPolicy();
  return { ...p, clocks: { ...p.clocks, secondTouchChannel: rule } };
}

function withChannelTargets(channelMinutes: Record<string, number>): Policy {
  const p = testPolicy();
  const tiers = p.clocks.tiers.map((t) => (t.id === 'standard' ? { ...t, clocks: { ...t.clocks, first_touch: { ...t.clocks.first_touch!, channelMinutes } } } : t));
  return { ...p, clocks: { ...p.clocks, tiers } };
}

const secondTouchStops = (timer: TimerHarness) => timer.clockLog().filter((l) => l.includes('SlaClockStopped second_touch'));

describe('second touch on another channel', () => {
  it('Given require and a lead with phone and email, When the second touch is another call, Then the clock keeps running; an email meets it', () => {
    const timer = new TimerHarness(withSecondTouch('require')).given(created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:02'), 'ava'), touched(T('10:10'), 'ava'));
    expect(secondTouchStops(timer)).toEqual([]);
    timer.given(touched(T('10:20'), 'ava', { channel: 'email' }));
    expect(secondTouchStops(timer)).toEqual([`${T('10:20')} SlaClockStopped second_touch met at ${T('10:20')}`]);
  });

  it('Given require and a lead reachable only by phone, When the second touch is another call, Then it meets the clock', () => {
    const timer = new TimerHarness(withSecondTouch('require')).given(created(T('10:00'), { channels: ['phone'] }), assigned(T('10:01'), 'ava'), touched(T('10:02'), 'ava'), touched(T('10:10'), 'ava'));
    expect(secondTouchStops(timer)).toEqual([`${T('10:10')} SlaClockStopped second_touch met at ${T('10:10')}`]);
  });

  it.each(['prefer', 'any'] as const)('Given %s, When the second touch is on the same channel, Then it meets the clock', (rule) => {
    const timer = new TimerHarness(withSecondTouch(rule)).given(created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:02'), 'ava'), touched(T('10:10'), 'ava'));
    expect(secondTouchStops(timer)).toEqual([`${T('10:10')} SlaClockStopped second_touch met at ${T('10:10')}`]);
  });

  it('Given require, When only calls follow the first call, Then the second-touch clock breaches', () => {
    const timer = new TimerHarness(withSecondTouch('require')).given(created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:02'), 'ava'), touched(T('10:10'), 'ava')).advanceTo(T('11:00'));
    expect(timer.log()).toContain(`${T('10:32')} SlaBreached second_touch owner=ava`);
  });
});

describe('per-channel first-touch targets', () => {
  const targets = { phone: 5, sms: 5, email: 10 };
  it('Given phone 5 and email 10, When a lead reachable by phone and email is assigned, Then it has 5 minutes', () => {
    const timer = new TimerHarness(withChannelTargets(targets)).given(created(T('10:00')), assigned(T('10:01'), 'ava'));
    expect(timer.pending()).toContain(`${T('10:06')} first_touch breach`);
  });
  it('Given phone 5 and email 10, When an email-only lead is assigned, Then it has 10 minutes', () => {
    const timer = new TimerHarness(withChannelTargets(targets)).given(created(T('10:00'), { channels: ['email'] }), assigned(T('10:01'), 'ava'));
    expect(timer.pending()).toContain(`${T('10:11')} first_touch breach`);
  });
  it('Given targets for no channel of the lead, When it is assigned, Then the tier minutes apply', () => {
    const timer = new TimerHarness(withChannelTargets({ sms: 5 })).given(created(T('10:00'), { channels: ['email'] }), assigned(T('10:01'), 'ava'));
    expect(timer.pending()).toContain(`${T('10:11')} first_touch breach`);
  });
});

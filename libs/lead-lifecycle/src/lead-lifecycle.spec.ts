import { breachIsRepMiss, countsAsMiss, effortSoFar, isOwnedTouch, minimumEffortMet } from './index';

const touch = { repId: 'ana', personal: true, automated: false, direction: 'outbound' as const };

describe('owned touch', () => {
  it('is a personal, outbound, non-automated touch by the owner', () => {
    expect(isOwnedTouch(touch, 'ana')).toBe(true);
  });
  it('is not a touch by someone other than the owner, or on a lead without owner', () => {
    expect(isOwnedTouch(touch, 'bob')).toBe(false);
    expect(isOwnedTouch(touch, null)).toBe(false);
  });
  it('is not an auto-responder, a sequence step or an inbound reply', () => {
    expect(isOwnedTouch({ ...touch, personal: false }, 'ana')).toBe(false);
    expect(isOwnedTouch({ ...touch, automated: true }, 'ana')).toBe(false);
    expect(isOwnedTouch({ ...touch, direction: 'inbound' }, 'ana')).toBe(false);
  });
});

describe('a rep miss', () => {
  it('counts breaches of clocks the rep controls', () => {
    for (const clock of ['first_touch', 'second_touch', 'accept_reject', 'effort'] as const) expect(countsAsMiss(clock)).toBe(true);
  });
  it('never counts the reply clock or the assignment clocks', () => {
    for (const clock of ['reply_escalation', 'assign', 'unassigned_queue'] as const) expect(countsAsMiss(clock)).toBe(false);
  });
  it('follows the policy where it sets countsAsMiss for a clock', () => {
    expect(countsAsMiss('first_touch', { first_touch: false })).toBe(false);
    expect(countsAsMiss('response', { response: true })).toBe(true);
  });
});

describe('minimum effort', () => {
  const policy = { attempts: 2, days: 1, multiChannel: true };
  const at = (iso: string, channel: 'phone' | 'email') => ({ at: iso, channel });
  it('needs the attempts and the days and more than one channel when the lead has several', () => {
    const attempts = [at('2026-11-01T09:00:00Z', 'phone'), at('2026-11-02T09:00:00Z', 'email')];
    expect(minimumEffortMet(effortSoFar(attempts, new Date('2026-11-02T09:00:00Z')), ['phone', 'email'], policy)).toBe(true);
  });
  it('is not met one millisecond before the days have passed', () => {
    const attempts = [at('2026-11-01T09:00:00Z', 'phone'), at('2026-11-01T10:00:00Z', 'email')];
    expect(minimumEffortMet(effortSoFar(attempts, new Date('2026-11-02T08:59:59.999Z')), ['phone', 'email'], policy)).toBe(false);
  });
  it('is not met on one channel when the lead can be reached on two, but is when it has only one', () => {
    const attempts = [at('2026-11-01T09:00:00Z', 'phone'), at('2026-11-03T09:00:00Z', 'phone')];
    const so = effortSoFar(attempts, new Date('2026-11-03T09:00:00Z'));
    expect(minimumEffortMet(so, ['phone', 'email'], policy)).toBe(false);
    expect(minimumEffortMet(so, ['phone'], policy)).toBe(true);
  });
});

describe('a breach as the miss of the rep it names', () => {
  const policy = {
    clocks: {
      defaultCalendarId: 'always-on',
      tiers: [
        { id: 'lenient', clocks: { first_touch: { minutes: 10, warnBeforeMinutes: 0, ladder: [], enabled: true, countsAsMiss: false } } },
        { id: 'standard', clocks: {} },
      ],
    },
  };
  const breach = { clock: 'first_touch' as const, tier: 'standard', ownerRepId: 'ana' };
  it('is a miss when the clock counts under the policy and a rep held the lead', () => {
    expect(breachIsRepMiss(policy, breach)).toBe(true);
    expect(breachIsRepMiss(policy, { ...breach, ownerRepId: null })).toBe(false);
  });
  it("follows the breach tier's countsAsMiss, and the defaults for a tier the policy no longer has", () => {
    expect(breachIsRepMiss(policy, { ...breach, tier: 'lenient' })).toBe(false);
    expect(breachIsRepMiss(policy, { ...breach, tier: 'gone' })).toBe(true);
    expect(breachIsRepMiss(policy, { ...breach, clock: 'reply_escalation' })).toBe(false);
  });
});

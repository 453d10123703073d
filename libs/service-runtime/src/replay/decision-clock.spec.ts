import { decisionClockFor } from './decision-clock';

const input = (eventId: string, occurredAt = '2026-11-30T09:00:00.000Z') => ({ eventId, occurredAt }) as Parameters<ReturnType<typeof decisionClockFor>>[0];

describe('the decision clock', () => {
  it('never gives two decisions of one process the same instant, even when the wall clock stands still', () => {
    const frozen = { now: () => new Date('2026-11-30T09:00:00.000Z') };
    const decidedAt = decisionClockFor(frozen, null);
    const times = [decidedAt(input('a')), decidedAt(input('b')), decidedAt(input('c'))].map((d) => d.getTime());
    expect(times).toEqual([times[0], times[0] + 1, times[0] + 2]);
  });

  it("in a replay, answers the time the log recorded for the decision, or the input's own time when it decided nothing", () => {
    const decidedAt = decisionClockFor({ now: () => new Date(0) }, { groupId: 'g', decidedAt: new Map([['a', '2026-11-30T09:00:05.123Z']]) });
    expect(decidedAt(input('a')).toISOString()).toBe('2026-11-30T09:00:05.123Z');
    expect(decidedAt(input('b', '2026-11-30T08:00:00.000Z')).toISOString()).toBe('2026-11-30T08:00:00.000Z');
  });
});

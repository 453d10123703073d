import { quietHoursEnd } from './quiet-hours.rule';

const at = (iso: string) => new Date(iso).getTime();
const iso = (ms: number) => new Date(ms).toISOString();

describe('quiet hours', () => {
  const night = { from: '20:00', to: '07:00' };

  it('lets a delivery outside them go at once', () => {
    expect(iso(quietHoursEnd(at('2026-11-24T12:00:00Z'), night, 'Europe/London'))).toBe('2026-11-24T12:00:00.000Z');
  });

  it('holds a delivery inside them until they end, in the person\'s zone (half-open: "to" itself is awake)', () => {
    expect(iso(quietHoursEnd(at('2026-11-24T21:30:00Z'), night, 'Europe/London'))).toBe('2026-11-25T07:00:00.000Z');
    expect(iso(quietHoursEnd(at('2026-11-24T20:00:00Z'), night, 'Europe/London'))).toBe('2026-11-25T07:00:00.000Z');
    expect(iso(quietHoursEnd(at('2026-11-25T07:00:00Z'), night, 'Europe/London'))).toBe('2026-11-25T07:00:00.000Z');
  });

  it('reads the same instant in each person\'s own zone', () => {
    const instant = at('2026-11-24T12:00:00Z'); // 12:00 London, 07:00 New York, 21:00 Tokyo
    expect(iso(quietHoursEnd(instant, night, 'Europe/London'))).toBe('2026-11-24T12:00:00.000Z');
    expect(iso(quietHoursEnd(instant, night, 'America/New_York'))).toBe('2026-11-24T12:00:00.000Z');
    expect(iso(quietHoursEnd(instant, night, 'Asia/Tokyo'))).toBe('2026-11-24T22:00:00.000Z'); // 07:00 JST next day
    expect(iso(quietHoursEnd(at('2026-11-24T11:59:00Z'), { from: '00:00', to: '07:00' }, 'America/New_York'))).toBe('2026-11-24T12:00:00.000Z');
  });

  it('handles quiet hours within one day (no midnight crossing)', () => {
    expect(iso(quietHoursEnd(at('2026-11-24T12:30:00Z'), { from: '12:00', to: '13:00' }, 'UTC'))).toBe('2026-11-24T13:00:00.000Z');
    expect(iso(quietHoursEnd(at('2026-11-24T13:30:00Z'), { from: '12:00', to: '13:00' }, 'UTC'))).toBe('2026-11-24T13:30:00.000Z');
  });

  it('ends a night that spans the autumn DST change at the local wake-up time (one real hour longer)', () => {
    // New York falls back on 2026-11-01 at 02:00 EDT → 01:00 EST: 22:00 EDT (02:00Z) to 07:00 EST (12:00Z) is 10 real hours.
    expect(iso(quietHoursEnd(at('2026-11-01T02:00:00Z'), { from: '22:00', to: '07:00' }, 'America/New_York'))).toBe('2026-11-01T12:00:00.000Z');
  });

  it('ends at the first wall time that exists when the wake-up time is skipped on the spring-forward day', () => {
    // London springs forward on 2027-03-28: 01:00 GMT → 02:00 BST, so 01:30 does not exist that night.
    expect(iso(quietHoursEnd(at('2027-03-28T00:45:00Z'), { from: '23:00', to: '01:30' }, 'Europe/London'))).toBe('2027-03-28T01:00:00.000Z');
    // The next night 01:30 exists again (BST = UTC+1).
    expect(iso(quietHoursEnd(at('2027-03-28T23:45:00Z'), { from: '23:00', to: '01:30' }, 'Europe/London'))).toBe('2027-03-29T00:30:00.000Z');
  });
});

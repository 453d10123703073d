import {
  addCoverage,
  coverageBetween,
  coverageCalendarFor,
  createCoverageCalendar,
  isCovered,
  nextCoverageStart,
  type CalendarDefinition,
  type Weekday,
} from './coverage-calendar';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();
const weekdays: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri'];
const allDays: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

function calendar(timeZone: string, windows: CalendarDefinition['windows'], holidays: string[] = []) {
  return createCoverageCalendar({ id: `test-${timeZone}`, timeZone, windows, holidays });
}
const officeHours = (timeZone: string, holidays: string[] = []) =>
  calendar(timeZone, weekdays.map((day) => ({ day, open: '08:00', close: '18:00' })), holidays);
const sundayNight = (timeZone: string, open: string, close: string) => calendar(timeZone, [{ day: 'sun', open, close }]);

describe('coverage calendar', () => {
  describe('office hours (Europe/London, Mon–Fri 08:00–18:00)', () => {
    const london = officeHours('Europe/London', ['2026-12-25', '2026-12-28', '2027-01-01']);

    it('adds minutes inside a window as plain elapsed time', () => {
      expect(iso(addCoverage(london, at('2026-11-24T09:00:00Z'), 10))).toBe('2026-11-24T09:10:00.000Z');
    });

    it('carries the remainder over the night into the next window', () => {
      expect(iso(addCoverage(london, at('2026-11-24T17:55:00Z'), 10))).toBe('2026-11-25T08:05:00.000Z');
    });

    it('counts a Friday-evening lead from Monday morning', () => {
      expect(iso(nextCoverageStart(london, at('2026-11-27T19:30:00Z')))).toBe('2026-11-30T08:00:00.000Z');
      expect(iso(addCoverage(london, at('2026-11-27T19:30:00Z'), 10))).toBe('2026-11-30T08:10:00.000Z');
    });

    it('lands exactly on a closing boundary when the minutes run out there', () => {
      expect(iso(addCoverage(london, at('2026-11-24T17:50:00Z'), 10))).toBe('2026-11-24T18:00:00.000Z');
      expect(isCovered(london, at('2026-11-24T18:00:00Z'))).toBe(false);
    });

    it('treats open as covered and close as not (half-open windows)', () => {
      expect(isCovered(london, at('2026-11-24T08:00:00Z'))).toBe(true);
      expect(isCovered(london, at('2026-11-24T07:59:59.999Z'))).toBe(false);
      expect(isCovered(london, at('2026-11-24T17:59:59.999Z'))).toBe(true);
    });

    it('returns t itself from nextCoverageStart when t is covered', () => {
      expect(nextCoverageStart(london, at('2026-11-24T12:34:56.789Z'))).toBe(at('2026-11-24T12:34:56.789Z'));
    });

    it('skips holidays and the weekend across the year end', () => {
      // Thu 31 Dec: one hour left; Fri 1 Jan is a holiday; then the weekend.
      expect(iso(addCoverage(london, at('2026-12-31T17:00:00Z'), 120))).toBe('2027-01-04T09:00:00.000Z');
      expect(coverageBetween(london, at('2026-12-24T00:00:00Z'), at('2027-01-05T00:00:00Z'))).toBe(5 * 600); // 24, 29, 30, 31 Dec and 4 Jan
    });

    it('works in local summer time (BST is UTC+1)', () => {
      expect(iso(nextCoverageStart(london, at('2026-07-01T05:00:00Z')))).toBe('2026-07-01T07:00:00.000Z');
    });

    it('accepts Date instants and fractional minutes', () => {
      expect(addCoverage(london, new Date('2026-11-24T09:00:00Z'), 0.5)).toBe(at('2026-11-24T09:00:30Z'));
      expect(coverageBetween(london, at('2026-11-24T09:00:00Z'), at('2026-11-24T09:00:30Z'))).toBe(0.5);
    });

    it('adds 0 minutes as t itself and rejects negative minutes', () => {
      expect(addCoverage(london, at('2026-11-28T03:00:00Z'), 0)).toBe(at('2026-11-28T03:00:00Z'));
      expect(() => addCoverage(london, at('2026-11-28T03:00:00Z'), -1)).toThrow(/non-negative number of minutes, got -1/);
    });

    it('returns 0 coverage for an empty or reversed span', () => {
      expect(coverageBetween(london, at('2026-11-24T10:00:00Z'), at('2026-11-24T09:00:00Z'))).toBe(0);
    });
  });

  describe('daylight saving time', () => {
    it('gives no coverage to the skipped spring-forward hour in Europe/London', () => {
      // 2026-03-29 01:00 GMT → 02:00 BST.
      expect(coverageBetween(sundayNight('Europe/London', '00:00', '04:00'), at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(180);
      expect(coverageBetween(sundayNight('Europe/London', '01:00', '02:00'), at('2026-03-28T00:00:00Z'), at('2026-03-30T00:00:00Z'))).toBe(0);
      expect(iso(addCoverage(sundayNight('Europe/London', '00:00', '04:00'), at('2026-03-29T00:30:00Z'), 60))).toBe('2026-03-29T01:30:00.000Z');
    });

    it('counts the repeated fall-back hour twice in Europe/London', () => {
      // 2026-10-25 02:00 BST → 01:00 GMT.
      const cal = sundayNight('Europe/London', '01:00', '02:00');
      expect(coverageBetween(cal, at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z'))).toBe(120);
      expect(iso(nextCoverageStart(cal, at('2026-10-24T12:00:00Z')))).toBe('2026-10-25T00:00:00.000Z');
      expect(iso(addCoverage(cal, at('2026-10-25T00:30:00Z'), 60))).toBe('2026-10-25T01:30:00.000Z');
      expect(coverageBetween(sundayNight('Europe/London', '00:00', '04:00'), at('2026-10-24T00:00:00Z'), at('2026-10-26T00:00:00Z'))).toBe(300);
    });

    it('gives no coverage to the skipped hour and counts the repeated hour twice in America/New_York', () => {
      const cal = sundayNight('America/New_York', '01:00', '03:00');
      // 2026-03-08 02:00 EST → 03:00 EDT: only 01:00–02:00 EST exists.
      expect(coverageBetween(cal, at('2026-03-07T12:00:00Z'), at('2026-03-09T12:00:00Z'))).toBe(60);
      // 2026-11-01 02:00 EDT → 01:00 EST: 01:00–02:00 twice, then 02:00–03:00 EST.
      expect(coverageBetween(cal, at('2026-10-31T12:00:00Z'), at('2026-11-02T12:00:00Z'))).toBe(180);
      expect(iso(addCoverage(cal, at('2026-11-01T05:00:00Z'), 150))).toBe('2026-11-01T07:30:00.000Z');
    });

    it('handles the southern-hemisphere transitions of Australia/Sydney', () => {
      const cal = sundayNight('Australia/Sydney', '00:00', '06:00');
      // 2026-04-05 03:00 AEDT → 02:00 AEST: a 7-hour window.
      expect(coverageBetween(cal, at('2026-04-03T00:00:00Z'), at('2026-04-06T00:00:00Z'))).toBe(420);
      // 2026-10-04 02:00 AEST → 03:00 AEDT: a 5-hour window.
      expect(coverageBetween(cal, at('2026-10-02T00:00:00Z'), at('2026-10-05T00:00:00Z'))).toBe(300);
    });

    it('handles a 30-minute DST shift (Australia/Lord_Howe)', () => {
      // 2026-10-04 02:00 → 02:30 local.
      const cal = sundayNight('Australia/Lord_Howe', '00:00', '06:00');
      expect(coverageBetween(cal, at('2026-10-02T00:00:00Z'), at('2026-10-05T00:00:00Z'))).toBe(330);
    });

    it('keeps office-hours deadlines at 08:00 local on both sides of a transition', () => {
      const ny = officeHours('America/New_York');
      // Fri 6 Mar 17:55 EST (22:55Z) + 10 → Mon 9 Mar 08:05 EDT (12:05Z).
      expect(iso(addCoverage(ny, at('2026-03-06T22:55:00Z'), 10))).toBe('2026-03-09T12:05:00.000Z');
    });

    it('counts an always-on calendar as plain elapsed time across DST', () => {
      const always = calendar('Europe/London', allDays.map((day) => ({ day, open: '00:00', close: '00:00' })));
      expect(coverageBetween(always, at('2026-03-28T00:00:00Z'), at('2026-03-31T00:00:00Z'))).toBe(3 * 1440);
      expect(addCoverage(always, at('2026-10-24T23:59:00Z'), 1440 * 2)).toBe(at('2026-10-26T23:59:00Z'));
    });
  });

  describe('overnight windows', () => {
    // Fri 22:00 → Sat 06:00 in New York; belongs to Friday.
    const night = (holidays: string[] = []) => calendar('America/New_York', [{ day: 'fri', open: '22:00', close: '06:00' }], holidays);
    const week = [at('2026-11-23T00:00:00Z'), at('2026-11-30T00:00:00Z')] as const;

    it('crosses midnight into the next weekday', () => {
      expect(coverageBetween(night(), ...week)).toBe(480);
      expect(isCovered(night(), at('2026-11-28T10:59:00Z'))).toBe(true); // Sat 05:59 EST
      expect(isCovered(night(), at('2026-11-28T11:00:00Z'))).toBe(false); // Sat 06:00 EST
    });

    it('loses its after-midnight part when the next date is a holiday', () => {
      expect(coverageBetween(night(['2026-11-28']), ...week)).toBe(120);
    });

    it('loses its before-midnight part when its own date is a holiday', () => {
      expect(coverageBetween(night(['2026-11-27']), ...week)).toBe(360);
    });

    it('treats "00:00"–"00:00" as the whole day, and equal open/close as 24 hours', () => {
      expect(coverageBetween(calendar('UTC', [{ day: 'wed', open: '00:00', close: '00:00' }]), ...week)).toBe(1440);
      expect(coverageBetween(calendar('UTC', [{ day: 'wed', open: '09:00', close: '09:00' }]), ...week)).toBe(1440);
    });

    it('does not double-count overlapping windows', () => {
      const cal = calendar('UTC', [
        { day: 'mon', open: '08:00', close: '12:00' },
        { day: 'mon', open: '10:00', close: '14:00' },
        { day: 'sun', open: '20:00', close: '09:00' },
      ]);
      expect(coverageBetween(cal, ...week)).toBe(360 + 13 * 60 - 60);
    });
  });

  describe('dated overrides (special hours, half-days, an extra working day)', () => {
    // Europe/London office hours Mon–Fri 08:00–18:00; 2026-12-24 is a Thursday, 2026-12-26 a Saturday.
    const withOverrides = (overrides: CalendarDefinition['overrides'], holidays: string[] = []) =>
      createCoverageCalendar({ id: 'dated', timeZone: 'Europe/London', windows: weekdays.map((day) => ({ day, open: '08:00', close: '18:00' })), holidays, overrides });

    it('closes at 13:00 on a half-day and carries the rest to the next covered day', () => {
      const cal = withOverrides([{ date: '2026-12-24', windows: [{ open: '08:00', close: '13:00' }] }], ['2026-12-25']);
      expect(isCovered(cal, at('2026-12-24T12:59:00Z'))).toBe(true);
      expect(isCovered(cal, at('2026-12-24T13:00:00Z'))).toBe(false);
      expect(iso(addCoverage(cal, at('2026-12-24T12:55:00Z'), 10))).toBe('2026-12-28T08:05:00.000Z');
    });

    it('counts an extra working Saturday', () => {
      const cal = withOverrides([{ date: '2026-12-26', windows: [{ open: '10:00', close: '14:00' }] }]);
      expect(iso(nextCoverageStart(cal, at('2026-12-25T19:00:00Z')))).toBe('2026-12-26T10:00:00.000Z');
      expect(coverageBetween(cal, at('2026-12-26T00:00:00Z'), at('2026-12-27T00:00:00Z'))).toBe(240);
    });

    it('replaces the weekly windows with special hours, in several windows, up to midnight ("24:00")', () => {
      const cal = withOverrides([{ date: '2026-11-25', windows: [{ open: '06:00', close: '07:00' }, { open: '20:00', close: '24:00' }] }]);
      expect(coverageBetween(cal, at('2026-11-25T00:00:00Z'), at('2026-11-26T00:00:00Z'))).toBe(300);
      expect(isCovered(cal, at('2026-11-25T09:00:00Z'))).toBe(false);
      expect(isCovered(cal, at('2026-11-25T23:59:00Z'))).toBe(true);
    });

    it('closes a date with no windows, like a holiday', () => {
      const closed = withOverrides([{ date: '2026-11-25', windows: [] }]);
      const holiday = withOverrides([], ['2026-11-25']);
      expect(addCoverage(closed, at('2026-11-24T17:55:00Z'), 10)).toBe(addCoverage(holiday, at('2026-11-24T17:55:00Z'), 10));
    });

    it("replaces the after-midnight part of the previous night's window too (the override owns its whole local date)", () => {
      const cal = createCoverageCalendar({ id: 'night', timeZone: 'UTC', windows: [{ day: 'fri', open: '22:00', close: '06:00' }], overrides: [{ date: '2026-11-28', windows: [{ open: '04:00', close: '05:00' }] }] });
      expect(coverageBetween(cal, at('2026-11-27T22:00:00Z'), at('2026-11-28T06:00:00Z'))).toBe(120 + 60);
    });

    it('keeps exact time across DST on an override date (a 01:00–03:00 override on the fall-back Sunday holds 3 hours)', () => {
      const cal = withOverrides([{ date: '2026-10-25', windows: [{ open: '01:00', close: '03:00' }] }]);
      expect(coverageBetween(cal, at('2026-10-24T12:00:00Z'), at('2026-10-25T12:00:00Z'))).toBe(180);
    });

    it('refuses an override that crosses midnight, a date given twice and a date that is also a holiday, saying what to do', () => {
      expect(() => withOverrides([{ date: '2026-12-24', windows: [{ open: '22:00', close: '02:00' }] }])).toThrow(
        'sla-clock: calendar "dated" overrides[0].windows[0]: an override window stays within its date, so close "02:00" must be after open "22:00" (use "24:00" for midnight)',
      );
      expect(() => withOverrides([{ date: '2026-12-24', windows: [] }, { date: '2026-12-24', windows: [] }])).toThrow('2026-12-24 has two overrides; merge their windows into one');
      expect(() => withOverrides([{ date: '2026-12-25', windows: [] }], ['2026-12-25'])).toThrow('2026-12-25 is also a holiday');
      expect(() => withOverrides([{ date: '2026-02-30', windows: [] }])).toThrow('date "2026-02-30" must be a real date "YYYY-MM-DD"');
    });

    it('gives a calendar with different overrides its own memoised instance', () => {
      const def = { id: 'memo', timeZone: 'UTC', windows: [{ day: 'mon' as const, open: '09:00', close: '17:00' }] };
      expect(coverageCalendarFor({ ...def, overrides: [{ date: '2026-11-30', windows: [] }] })).not.toBe(coverageCalendarFor(def));
    });
  });

  describe('guards', () => {
    it('rejects a calendar without windows with a clear message', () => {
      expect(() => calendar('UTC', [])).toThrow(/has no windows, so its clocks would never run/);
    });

    it('rejects an unknown time zone, a bad wall time and a bad holiday', () => {
      expect(() => calendar('Mars/Olympus', [{ day: 'mon', open: '08:00', close: '09:00' }])).toThrow(/not an IANA time zone/);
      expect(() => calendar('UTC', [{ day: 'mon', open: '8:00', close: '09:00' }])).toThrow(/windows\[0\]\.open: wall time "8:00"/);
      expect(() => calendar('UTC', [{ day: 'mon', open: '08:00', close: '09:00' }], ['2026-02-30'])).toThrow(/holidays\[0\]: holiday "2026-02-30"/);
    });

    it('stops searching after about three years when holidays remove every window', () => {
      const mondays: string[] = [];
      for (let d = at('2026-11-23T00:00:00Z'); d < at('2031-01-01T00:00:00Z'); d += 7 * 86_400_000) mondays.push(iso(d).slice(0, 10));
      const cal = calendar('UTC', [{ day: 'mon', open: '08:00', close: '09:00' }], mondays);
      expect(() => addCoverage(cal, at('2026-11-23T00:00:00Z'), 10)).toThrow(/has no coverage within 1098 days after/);
      expect(() => nextCoverageStart(cal, at('2026-11-23T00:00:00Z'))).toThrow(/check its windows and holidays/);
    });
  });

  describe('memoised calendars', () => {
    it('returns the same calendar for an equal definition', () => {
      const def = { id: 'x', timeZone: 'UTC', windows: [{ day: 'mon' as const, open: '08:00', close: '09:00' }], holidays: [] };
      expect(coverageCalendarFor(def)).toBe(coverageCalendarFor(JSON.parse(JSON.stringify(def))));
    });
  });
});

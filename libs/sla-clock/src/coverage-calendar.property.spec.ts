import fc from 'fast-check';
import {
  addCoverage,
  coverageBetween,
  createCoverageCalendar,
  isCovered,
  nextCoverageStart,
  type CalendarDefinition,
  type Weekday,
} from './coverage-calendar';

const MIN = 60_000;
const DAY = 86_400_000;
const days: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
// Zones with DST in both hemispheres, a 30-minute shift, a +12:45 zone and half-hour offsets.
const zones = ['UTC', 'Europe/London', 'America/New_York', 'Australia/Sydney', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Asia/Kolkata', 'America/Santiago'];
// Instants near DST transitions of those zones and a year end, so the edge cases come up often.
const anchors = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-09-06', '2026-09-27', '2026-10-04', '2026-10-25', '2026-11-01', '2026-12-31'].map((d) => Date.parse(`${d}T00:00:00Z`));

const hhmm = fc.integer({ min: 0, max: 1439 }).map((m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
const windowArb = fc.record({ day: fc.constantFrom(...days), open: hhmm, close: hhmm });
const wallOf = (m: number) => (m === 1440 ? '24:00' : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);
// An override window within its date: open < close, close up to "24:00".
const overrideWindowArb = fc
  .tuple(fc.integer({ min: 0, max: 1440 }), fc.integer({ min: 0, max: 1440 }))
  .filter(([a, b]) => a !== b)
  .map(([a, b]) => ({ open: wallOf(Math.min(a, b)), close: wallOf(Math.max(a, b)) }));
// Day offsets from the anchor: each date is a holiday, an override (0–3 windows: closed, half-day, special hours, extra day) or neither.
const datedArb = fc.uniqueArray(fc.integer({ min: -3, max: 6 }), { maxLength: 5 }).chain((offsets) =>
  fc.tuple(fc.constant(offsets), fc.array(fc.boolean(), { minLength: offsets.length, maxLength: offsets.length }), fc.array(fc.array(overrideWindowArb, { maxLength: 3 }), { minLength: offsets.length, maxLength: offsets.length })),
);
const calendarArb: fc.Arbitrary<CalendarDefinition> = fc.record({
  id: fc.constant('random'),
  timeZone: fc.constantFrom(...zones),
  windows: fc.array(windowArb, { minLength: 1, maxLength: 6 }),
  dated: datedArb,
}).chain(({ dated: [offsets, isHoliday, windows], ...c }) =>
  fc.constantFrom(...anchors).map((anchor) => {
    const date = (o: number) => new Date(anchor + o * DAY).toISOString().slice(0, 10);
    return {
      ...c,
      holidays: offsets.filter((_, i) => isHoliday[i]).map(date),
      overrides: offsets.flatMap((o, i) => (isHoliday[i] ? [] : [{ date: date(o), windows: windows[i] }])),
      anchor,
    };
  }),
);
// Minute-aligned instants within ±2 days of the calendar's anchor.
const withInstant = calendarArb.chain((c) =>
  fc.integer({ min: -2 * 1440, max: 2 * 1440 }).map((m) => ({ def: c, t: (c as unknown as { anchor: number }).anchor + m * MIN })),
);

/** The reference: read the wall clock minute by minute and apply DOMAIN.md literally. */
function referenceCalendar(def: CalendarDefinition) {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone: def.timeZone,
    hourCycle: 'h23',
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  });
  const toMin = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3));
  const holidays = new Set(def.holidays ?? []);
  const overrides = new Map((def.overrides ?? []).map((o) => [o.date, o.windows.map((w) => [toMin(w.open), w.close === '24:00' ? 1440 : toMin(w.close)])]));
  const cache = new Map<number, boolean>();
  const covered = (minuteStart: number): boolean => {
    const hit = cache.get(minuteStart);
    if (hit !== undefined) return hit;
    const p = Object.fromEntries(fmt.formatToParts(minuteStart).map((x) => [x.type, x.value]));
    const date = `${p.year}-${p.month}-${p.day}`;
    const wd = days.indexOf(p.weekday.toLowerCase().slice(0, 3) as Weekday);
    const wall = (Number(p.hour) % 24) * 60 + Number(p.minute);
    const yesterday = days[(wd + 6) % 7];
    const inWindow = def.windows.some((w) => {
      const open = toMin(w.open);
      const close = toMin(w.close);
      if (close > open) return w.day === days[wd] && wall >= open && wall < close;
      return (w.day === days[wd] && wall >= open) || (w.day === yesterday && wall < close);
    });
    // A dated override replaces the whole local date's coverage (like a holiday, but with its own windows).
    const override = overrides.get(date);
    const result = override ? override.some(([open, close]) => wall >= open && wall < close) : inWindow && !holidays.has(date);
    cache.set(minuteStart, result);
    return result;
  };
  return {
    covered,
    between: (a: number, b: number) => {
      let n = 0;
      for (let m = a; m < b; m += MIN) if (covered(m)) n++;
      return n;
    },
    /** addCoverage within a horizon; null when the horizon is too short. */
    add: (t: number, n: number, horizon: number): number | null => {
      let count = 0;
      for (let m = t; m < t + horizon; m += MIN) {
        if (covered(m)) count++;
        if (count === n) return m + MIN;
      }
      return null;
    },
  };
}

const runs = { numRuns: 150 };

describe('coverage calendar properties', () => {
  it('agrees with a minute-by-minute reference on coverage, isCovered, nextCoverageStart and addCoverage', () => {
    fc.assert(
      fc.property(withInstant, fc.integer({ min: 1, max: 2000 }), ({ def, t }, n) => {
        const cal = createCoverageCalendar(def);
        const ref = referenceCalendar(def);
        const span = 3 * DAY;
        expect(coverageBetween(cal, t, t + span)).toBe(ref.between(t, t + span));
        for (let m = t; m < t + 6 * 60 * MIN; m += 17 * MIN) expect(isCovered(cal, m)).toBe(ref.covered(m));
        const expected = ref.add(t, n, span);
        if (expected !== null) expect(addCoverage(cal, t, n)).toBe(expected);
        const firstCovered = ref.add(t, 1, span);
        if (firstCovered !== null) expect(nextCoverageStart(cal, t)).toBe(firstCovered - MIN);
      }),
      runs,
    );
  });

  it('is monotonic in the start instant and in the minutes', () => {
    fc.assert(
      fc.property(withInstant, fc.integer({ min: 0, max: 3 * DAY }), fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 3000 }), ({ def, t }, dt, n, dn) => {
        const cal = createCoverageCalendar(def);
        expect(addCoverage(cal, t, n)).toBeLessThanOrEqual(addCoverage(cal, t + dt, n));
        expect(addCoverage(cal, t, n)).toBeLessThanOrEqual(addCoverage(cal, t, n + dn));
      }),
      runs,
    );
  });

  it('is additive: adding a then b equals adding a + b', () => {
    fc.assert(
      fc.property(withInstant, fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 59_999 }), ({ def, t }, a, b, jitter) => {
        const cal = createCoverageCalendar(def);
        expect(addCoverage(cal, addCoverage(cal, t + jitter, a), b)).toBe(addCoverage(cal, t + jitter, a + b));
      }),
      runs,
    );
  });

  it('lands on covered time or where a window closes, with exactly N minutes in between', () => {
    fc.assert(
      fc.property(withInstant, fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 59_999 }), ({ def, t }, n, jitter) => {
        const cal = createCoverageCalendar(def);
        const start = t + jitter;
        const d = addCoverage(cal, start, n);
        expect(d).toBeGreaterThan(start);
        // The last millisecond before d is covered: d is inside a window or at its close.
        expect(isCovered(cal, d - 1)).toBe(true);
        expect(coverageBetween(cal, start, d)).toBeCloseTo(n, 9);
        expect(nextCoverageStart(cal, start)).toBeLessThan(d);
        expect(isCovered(cal, nextCoverageStart(cal, start))).toBe(true);
      }),
      runs,
    );
  });
});

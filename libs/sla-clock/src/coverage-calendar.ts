import { DAY_MS, HOUR_MS, MINUTE_MS, zoneOffsets, type ZoneOffsets } from './zone-offsets';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/**
 * What a calendar is made of. `CalendarPolicy` from @lead-sla/policy fits
 * this shape; it is restated here so the clock math depends on nothing.
 */
export interface CalendarDefinition {
  readonly id?: string;
  /** IANA zone, e.g. "Europe/London". */
  readonly timeZone: string;
  /** Half-open [open, close) local "HH:MM"; close <= open crosses midnight. */
  readonly windows: readonly { readonly day: Weekday; readonly open: string; readonly close: string }[];
  /** Local dates "YYYY-MM-DD" without coverage. */
  readonly holidays?: readonly string[];
  /**
   * Dated overrides: on each local date listed, these windows replace the
   * weekly ones (special hours, a half-day, an extra working day; no
   * windows closes the date like a holiday). Half-open [open, close) within
   * the date, open < close; close may be "24:00" (midnight at the end).
   */
  readonly overrides?: readonly DatedOverride[];
}

export interface DatedOverride {
  readonly date: string;
  readonly windows: readonly { readonly open: string; readonly close: string }[];
}

/** An instant as a Date or epoch milliseconds. */
export type InstantInput = Date | number;

/** A calendar with no coverage for this long after an instant is treated as broken. */
export const MAX_COVERAGE_GAP_DAYS = 3 * 366;

// Day numbers (days since 1970-01-01) are weekday (n + 4) % 7 with 0 = Sunday.
const WEEKDAY_INDEX: Readonly<Record<Weekday, number>> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
// Beyond every real UTC offset (-12 h … +14 h): bounds the UTC span of a local date.
const OFFSET_MARGIN_MS = 15 * HOUR_MS;
// Bounded caches: a long-running timer touches a few years of days at most.
const MAX_CACHED_DAYS = 20_000;

type Range = readonly [number, number];

function parseWallTime(value: string, where: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (!m) throw new Error(`sla-clock: ${where}: wall time "${value}" must be "HH:MM" (00:00–23:59)`);
  return Number(m[1]) * 60 + Number(m[2]);
}

function parseLocalDate(value: string, where: string, what = 'holiday'): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).getUTCDate() !== Number(m[3])) {
    throw new Error(`sla-clock: ${where}: ${what} "${value}" must be a real date "YYYY-MM-DD"`);
  }
  return ms / DAY_MS;
}

/** The covered minute ranges of an override's date; "24:00" closes at the end of the date. */
function overrideRanges(o: DatedOverride, where: string): Range[] {
  const ranges = o.windows.map((w, i) => {
    const open = parseWallTime(w.open, `${where}.windows[${i}].open`);
    const close = w.close === '24:00' ? 1440 : parseWallTime(w.close, `${where}.windows[${i}].close`);
    if (close <= open) {
      throw new Error(`sla-clock: ${where}.windows[${i}]: an override window stays within its date, so close "${w.close}" must be after open "${w.open}" (use "24:00" for midnight)`);
    }
    return [open, close] as const;
  });
  return mergeRanges(ranges);
}

function mergeRanges(ranges: Range[]): Range[] {
  ranges.sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of ranges) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Sorted, merged intervals as a flat [start0, end0, start1, end1, …] array. */
function mergeFlat(pairs: [number, number][]): number[] {
  pairs.sort((x, y) => x[0] - y[0]);
  const out: number[] = [];
  for (const [s, e] of pairs) {
    if (out.length > 0 && s <= out[out.length - 1]) out[out.length - 1] = Math.max(out[out.length - 1], e);
    else out.push(s, e);
  }
  return out;
}

export function toEpochMs(t: InstantInput): number {
  const ms = typeof t === 'number' ? t : t.getTime();
  if (!Number.isFinite(ms)) throw new Error(`sla-clock: invalid instant ${String(t)}`);
  return ms;
}

/**
 * A team's coverage: the instants at which its local wall clock is inside a
 * window and the local date is not a holiday (DOMAIN.md "Clock semantics");
 * on a date with a dated override, inside one of the override's windows.
 * Covered time is precomputed per UTC day as UTC intervals and cached, so
 * repeated deadline computations cost a few array scans.
 */
export class CoverageCalendar {
  readonly id: string;
  readonly timeZone: string;
  private readonly zone: ZoneOffsets;
  /** Covered wall-time minute ranges of a local date, by its weekday (0 = Sunday). */
  private readonly rangesByWeekday: readonly Range[][];
  private readonly holidays: ReadonlySet<number>;
  /** Covered wall-time minute ranges of the dates with an override, by day number. */
  private readonly overrides: ReadonlyMap<number, readonly Range[]>;
  private readonly localDays = new Map<number, number[]>();
  private readonly utcDays = new Map<number, number[]>();

  constructor(definition: CalendarDefinition) {
    this.id = definition.id ?? definition.timeZone;
    this.timeZone = definition.timeZone;
    const where = `calendar "${this.id}"`;
    if (!definition.windows || definition.windows.length === 0) {
      throw new Error(`sla-clock: ${where} has no windows, so its clocks would never run; add at least one { day, open, close }`);
    }
    this.zone = zoneOffsets(definition.timeZone);
    const byWeekday: Range[][] = [[], [], [], [], [], [], []];
    definition.windows.forEach((w, i) => {
      const day = WEEKDAY_INDEX[w.day];
      if (day === undefined) throw new Error(`sla-clock: ${where}: windows[${i}].day "${w.day}" is not one of mon…sun`);
      const open = parseWallTime(w.open, `${where} windows[${i}].open`);
      const close = parseWallTime(w.close, `${where} windows[${i}].close`);
      if (close > open) {
        byWeekday[day].push([open, close]);
      } else {
        // Overnight (or 24 h when close == open): the part after midnight lies on the next local date.
        byWeekday[day].push([open, 1440]);
        if (close > 0) byWeekday[(day + 1) % 7].push([0, close]);
      }
    });
    this.rangesByWeekday = byWeekday.map(mergeRanges);
    this.holidays = new Set((definition.holidays ?? []).map((h, i) => parseLocalDate(h, `${where} holidays[${i}]`)));
    const overrides = new Map<number, readonly Range[]>();
    (definition.overrides ?? []).forEach((o, i) => {
      const at = `${where} overrides[${i}]`;
      const date = parseLocalDate(o.date, at, 'date');
      if (overrides.has(date)) throw new Error(`sla-clock: ${at}: ${o.date} has two overrides; merge their windows into one`);
      if (this.holidays.has(date)) throw new Error(`sla-clock: ${at}: ${o.date} is also a holiday; keep the holiday or the override (no windows closes the date)`);
      overrides.set(date, overrideRanges(o, at));
    });
    this.overrides = overrides;
  }

  /** Covered intervals of one local date, in UTC, sorted (flat pairs). */
  private intervalsOfLocalDate(date: number): number[] {
    const cached = this.localDays.get(date);
    if (cached) return cached;
    const pairs: [number, number][] = [];
    // An override or a holiday replaces all coverage of its local date, including the
    // after-midnight part of the previous date's overnight window.
    const ranges = this.overrides.get(date) ?? (this.holidays.has(date) ? [] : this.rangesByWeekday[(((date + 4) % 7) + 7) % 7]);
    if (ranges.length > 0) {
      const base = date * DAY_MS;
      const segments = this.zone.segments(base - OFFSET_MARGIN_MS, base + DAY_MS + OFFSET_MARGIN_MS);
      for (const [a, b] of ranges) {
        const localStart = base + a * MINUTE_MS;
        const localEnd = base + b * MINUTE_MS;
        // Within a constant-offset segment, local = utc + offset; a wall time that
        // is skipped (spring forward) maps to no instant, a repeated one to two.
        for (const seg of segments) {
          const s = Math.max(seg.start, localStart - seg.offset);
          const e = Math.min(seg.end, localEnd - seg.offset);
          if (e > s) pairs.push([s, e]);
        }
      }
    }
    const out = mergeFlat(pairs);
    if (this.localDays.size >= MAX_CACHED_DAYS) this.localDays.clear();
    this.localDays.set(date, out);
    return out;
  }

  /** Covered intervals within UTC day `day`, sorted, as flat [start, end) pairs. */
  intervalsOfUtcDay(day: number): readonly number[] {
    const cached = this.utcDays.get(day);
    if (cached) return cached;
    const from = day * DAY_MS;
    const to = from + DAY_MS;
    const pairs: [number, number][] = [];
    // An instant of UTC day U has local date U-1, U or U+1 (offsets are under 24 h).
    for (let date = day - 1; date <= day + 1; date++) {
      const iv = this.intervalsOfLocalDate(date);
      for (let i = 0; i < iv.length; i += 2) {
        const s = Math.max(iv[i], from);
        const e = Math.min(iv[i + 1], to);
        if (e > s) pairs.push([s, e]);
      }
    }
    const out = mergeFlat(pairs);
    if (this.utcDays.size >= MAX_CACHED_DAYS) this.utcDays.clear();
    this.utcDays.set(day, out);
    return out;
  }

  noCoverageError(from: number): Error {
    return new Error(
      `sla-clock: calendar "${this.id}" (${this.timeZone}) has no coverage within ${MAX_COVERAGE_GAP_DAYS} days after ` +
        `${new Date(from).toISOString()}; check its windows and holidays`,
    );
  }
}

export function createCoverageCalendar(definition: CalendarDefinition): CoverageCalendar {
  return new CoverageCalendar(definition);
}

const memo = new Map<string, CoverageCalendar>();
const MAX_MEMO = 256;

/**
 * The same calendar object for the same definition (by value), so callers
 * holding a calendar snapshot (e.g. from a stored clock) share its caches.
 */
export function coverageCalendarFor(definition: CalendarDefinition): CoverageCalendar {
  const key = JSON.stringify([definition.id ?? null, definition.timeZone, definition.windows, definition.holidays ?? [], definition.overrides ?? []]);
  let calendar = memo.get(key);
  if (!calendar) {
    calendar = new CoverageCalendar(definition);
    if (memo.size >= MAX_MEMO) memo.clear();
    memo.set(key, calendar);
  }
  return calendar;
}

/** Is instant t covered? */
export function isCovered(calendar: CoverageCalendar, t: InstantInput): boolean {
  const ms = toEpochMs(t);
  const iv = calendar.intervalsOfUtcDay(Math.floor(ms / DAY_MS));
  for (let i = 0; i < iv.length; i += 2) if (iv[i] <= ms && ms < iv[i + 1]) return true;
  return false;
}

/** t itself when covered, else the earliest covered instant after t (epoch ms). */
export function nextCoverageStart(calendar: CoverageCalendar, t: InstantInput): number {
  const ms = toEpochMs(t);
  const first = Math.floor(ms / DAY_MS);
  for (let day = first; day - first <= MAX_COVERAGE_GAP_DAYS; day++) {
    const iv = calendar.intervalsOfUtcDay(day);
    for (let i = 0; i < iv.length; i += 2) if (iv[i + 1] > ms) return Math.max(iv[i], ms);
  }
  throw calendar.noCoverageError(ms);
}

/**
 * The earliest instant d ≥ t such that [t, d) holds exactly `minutes` of
 * coverage (epoch ms). `minutes` may be fractional (resolved to the ms);
 * 0 gives t.
 */
export function addCoverage(calendar: CoverageCalendar, t: InstantInput, minutes: number): number {
  const start = toEpochMs(t);
  if (!Number.isFinite(minutes) || minutes < 0) {
    throw new Error(`sla-clock: addCoverage needs a finite, non-negative number of minutes, got ${minutes}`);
  }
  let remaining = Math.round(minutes * MINUTE_MS);
  if (remaining === 0) return start;
  let lastCoveredDay = Math.floor(start / DAY_MS);
  for (let day = lastCoveredDay; ; day++) {
    const iv = calendar.intervalsOfUtcDay(day);
    for (let i = 0; i < iv.length; i += 2) {
      if (iv[i + 1] <= start) continue;
      const s = Math.max(iv[i], start);
      const available = iv[i + 1] - s;
      if (available >= remaining) return s + remaining;
      remaining -= available;
      lastCoveredDay = day;
    }
    if (day - lastCoveredDay >= MAX_COVERAGE_GAP_DAYS) throw calendar.noCoverageError(lastCoveredDay * DAY_MS);
  }
}

/** Coverage minutes inside [a, b) (0 when b <= a); fractional when a or b fall mid-minute. */
export function coverageBetween(calendar: CoverageCalendar, a: InstantInput, b: InstantInput): number {
  const from = toEpochMs(a);
  const to = toEpochMs(b);
  if (to <= from) return 0;
  let total = 0;
  for (let day = Math.floor(from / DAY_MS); day * DAY_MS < to; day++) {
    const iv = calendar.intervalsOfUtcDay(day);
    for (let i = 0; i < iv.length; i += 2) {
      const s = Math.max(iv[i], from);
      const e = Math.min(iv[i + 1], to);
      if (e > s) total += e - s;
    }
  }
  return total / MINUTE_MS;
}

/**
 * UTC offsets of an IANA time zone, from the platform's Intl data (no
 * timezone package needed: Intl carries the tz database).
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** A stretch of UTC time [start, end) during which the zone's offset is constant. */
export interface OffsetSegment {
  readonly start: number;
  readonly end: number;
  /** local wall time = UTC + offset (ms). */
  readonly offset: number;
}

// Sampling step when looking for transitions. Real zones change offset at
// most twice a year, never twice within six hours.
const SAMPLE_MS = 6 * HOUR_MS;

export class ZoneOffsets {
  private readonly format: Intl.DateTimeFormat;
  private readonly samples = new Map<number, number>();
  private readonly days = new Map<number, readonly OffsetSegment[]>();

  constructor(readonly timeZone: string) {
    try {
      this.format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new Error(`sla-clock: "${timeZone}" is not an IANA time zone known to this runtime (e.g. "Europe/London")`);
    }
  }

  /** Offset in ms at instant t (second precision, which is all tz data has). */
  offsetAt(t: number): number {
    const second = Math.floor(t / 1000) * 1000;
    const cached = this.samples.get(second);
    if (cached !== undefined) return cached;
    let y = 0;
    let mo = 0;
    let d = 0;
    let h = 0;
    let mi = 0;
    let s = 0;
    for (const part of this.format.formatToParts(second)) {
      switch (part.type) {
        case 'year': y = Number(part.value); break;
        case 'month': mo = Number(part.value); break;
        case 'day': d = Number(part.value); break;
        case 'hour': h = Number(part.value) % 24; break;
        case 'minute': mi = Number(part.value); break;
        case 'second': s = Number(part.value); break;
        default: break;
      }
    }
    const offset = Date.UTC(y, mo - 1, d, h, mi, s) - second;
    // Only the sample grid is memoised; arbitrary instants would grow the map without bound.
    if (second % SAMPLE_MS === 0) this.samples.set(second, offset);
    return offset;
  }

  /** The constant-offset segments covering UTC day `day` (days since 1970-01-01). */
  segmentsOfUtcDay(day: number): readonly OffsetSegment[] {
    const cached = this.days.get(day);
    if (cached) return cached;
    const start = day * DAY_MS;
    const segments: OffsetSegment[] = [];
    let segStart = start;
    let prev = this.offsetAt(start);
    for (let t = start + SAMPLE_MS; t <= start + DAY_MS; t += SAMPLE_MS) {
      const next = this.offsetAt(t);
      if (next !== prev) {
        const at = this.transitionBetween(t - SAMPLE_MS, t, next);
        segments.push({ start: segStart, end: at, offset: prev });
        segStart = at;
        prev = next;
      }
    }
    segments.push({ start: segStart, end: start + DAY_MS, offset: prev });
    this.days.set(day, segments);
    return segments;
  }

  /** Segments covering [from, to), in order (split at UTC midnights). */
  segments(from: number, to: number): OffsetSegment[] {
    const out: OffsetSegment[] = [];
    for (let day = Math.floor(from / DAY_MS); day * DAY_MS < to; day++) {
      for (const s of this.segmentsOfUtcDay(day)) if (s.end > from && s.start < to) out.push(s);
    }
    return out;
  }

  /** The first second in (lo, hi] whose offset is `after` (binary search). */
  private transitionBetween(lo: number, hi: number, after: number): number {
    let a = lo / 1000;
    let b = hi / 1000;
    while (b - a > 1) {
      const mid = Math.floor((a + b) / 2);
      if (this.offsetAt(mid * 1000) === after) b = mid;
      else a = mid;
    }
    return b * 1000;
  }
}

const zones = new Map<string, ZoneOffsets>();

/** One shared offset cache per zone: every calendar in that zone reuses it. */
export function zoneOffsets(timeZone: string): ZoneOffsets {
  let zone = zones.get(timeZone);
  if (!zone) {
    zone = new ZoneOffsets(timeZone);
    zones.set(timeZone, zone);
  }
  return zone;
}

import { EventCatalogue, type LeadEvent } from '@lead-sla/contracts';

/** A decision of the three services (not a fact people or other systems recorded). */
export function isDecision(e: Pick<LeadEvent, 'type'>): boolean {
  return EventCatalogue[e.type].producer !== 'external';
}

export interface Divergence {
  /** When the divergent decision was made (the recorded one's time when it exists). */
  readonly at: string;
  readonly eventId: string;
  readonly type: string;
  readonly leadId: string | null;
  readonly problem: string;
}

/** Stable JSON (sorted keys), so two equal data objects compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value as object).sort().filter((k) => (value as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Equal data: the same JSON (the usual case: both built by the same code), else the same after sorting keys. */
function sameData(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b) || canonical(a) === canonical(b);
}

/** Divergences kept in full (the count goes on): enough to investigate, bounded when a wrong baseline diverges everywhere. */
export const MAX_DIVERGENCES_KEPT = 10_000;

/**
 * The exactness check: the baseline simulation must make exactly the
 * decisions the platform recorded — same event ids (which derive from the
 * cause and the step), same type and the same data (owner, deadline math,
 * clock, rotation verdict, …) — inside the compared window. Decision ids
 * are deterministic, so a decision made for a different cause or in a
 * different order shows up as missing on one side.
 *
 * Streaming: recorded decisions come in (`expect`) as the simulation nears
 * their time and leave (`expire`) once it is past the time it could still
 * make them; one still unmatched then is missing. Memory holds the
 * unmatched decisions of that window, not the period's.
 */
export class ExactnessCheck {
  private readonly unmatched = new Map<string, LeadEvent>();
  private readonly divergences: Divergence[] = [];
  private total = 0;
  private compared = 0;

  constructor(private readonly window: { readonly from: number; readonly until: number }) {}

  private inWindow(e: LeadEvent): boolean {
    const at = Date.parse(e.recordedAt);
    return at >= this.window.from && at < this.window.until;
  }

  private diverged(d: Divergence): void {
    this.total++;
    if (this.divergences.length < MAX_DIVERGENCES_KEPT) this.divergences.push(d);
  }

  /** A decision the platform recorded, read ahead of the simulation. */
  expect(recorded: LeadEvent): void {
    if (this.inWindow(recorded)) this.unmatched.set(recorded.eventId, recorded);
  }

  /** The simulation is past the time it could make `recorded`: unmatched, it is missing. */
  expire(recorded: LeadEvent): void {
    if (!this.unmatched.delete(recorded.eventId)) return;
    this.diverged({ at: recorded.recordedAt, eventId: recorded.eventId, type: recorded.type, leadId: recorded.leadId, problem: `the platform recorded ${recorded.type} ${canonical(recorded.data)} which the simulation did not decide` });
  }

  /** Every simulated event, in order (facts are ignored). */
  onEvent(e: LeadEvent): void {
    if (!isDecision(e) || !this.inWindow(e)) return;
    this.compared++;
    const recorded = this.unmatched.get(e.eventId);
    if (!recorded) {
      this.diverged({ at: e.recordedAt, eventId: e.eventId, type: e.type, leadId: e.leadId, problem: `the simulation decided ${e.type} ${canonical(e.data)} which the platform never recorded` });
      return;
    }
    this.unmatched.delete(e.eventId);
    if (recorded.type !== e.type || !sameData(recorded.data, e.data)) {
      this.diverged({ at: recorded.recordedAt, eventId: e.eventId, type: e.type, leadId: e.leadId, problem: `recorded ${recorded.type} ${canonical(recorded.data)} but the simulation decided ${e.type} ${canonical(e.data)}` });
    }
  }

  /**
   * The result once the run is over (every recorded decision expired):
   * divergences in time order (the first is the one to investigate), at
   * most MAX_DIVERGENCES_KEPT of them, and how many there were.
   */
  result(): { compared: number; divergences: readonly Divergence[]; total: number } {
    for (const recorded of [...this.unmatched.values()]) this.expire(recorded);
    const sorted = [...this.divergences].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.eventId.localeCompare(b.eventId));
    return { compared: this.compared, divergences: sorted, total: this.total };
  }
}

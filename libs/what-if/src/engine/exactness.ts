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

/**
 * The exactness check: the baseline simulation must make exactly the
 * decisions the platform recorded — same event ids (which derive from the
 * cause and the step), same type and the same data (owner, deadline math,
 * clock, rotation verdict, …) — inside the compared window. Decision ids
 * are deterministic, so a decision made for a different cause or in a
 * different order shows up as missing on one side.
 */
export class ExactnessCheck {
  private readonly unmatched: Map<string, LeadEvent>;
  private readonly divergences: Divergence[] = [];
  private compared = 0;

  /** `recorded`: the platform's decisions whose time is inside [from, until). */
  constructor(
    recorded: ReadonlyMap<string, LeadEvent>,
    private readonly window: { readonly from: number; readonly until: number },
  ) {
    this.unmatched = new Map(recorded);
  }

  /** Every simulated event, in order (facts are ignored). */
  onEvent(e: LeadEvent): void {
    if (!isDecision(e)) return;
    const at = Date.parse(e.recordedAt);
    if (at < this.window.from || at >= this.window.until) return;
    this.compared++;
    const recorded = this.unmatched.get(e.eventId);
    if (!recorded) {
      this.divergences.push({ at: e.recordedAt, eventId: e.eventId, type: e.type, leadId: e.leadId, problem: `the simulation decided ${e.type} ${canonical(e.data)} which the platform never recorded` });
      return;
    }
    this.unmatched.delete(e.eventId);
    if (recorded.type !== e.type || canonical(recorded.data) !== canonical(e.data)) {
      this.divergences.push({ at: recorded.recordedAt, eventId: e.eventId, type: e.type, leadId: e.leadId, problem: `recorded ${recorded.type} ${canonical(recorded.data)} but the simulation decided ${e.type} ${canonical(e.data)}` });
    }
  }

  /** The result once the run is over: divergences in time order (the first is the one to investigate). */
  result(): { compared: number; divergences: readonly Divergence[] } {
    const missing = [...this.unmatched.values()].map((r) => ({ at: r.recordedAt, eventId: r.eventId, type: r.type, leadId: r.leadId, problem: `the platform recorded ${r.type} ${canonical(r.data)} which the simulation did not decide` }));
    const all = [...this.divergences, ...missing].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.eventId.localeCompare(b.eventId));
    return { compared: this.compared, divergences: all };
  }
}

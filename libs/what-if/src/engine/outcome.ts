import type { LeadEvent } from '@lead-sla/contracts';

/** What one run decided over the period, in the figures the comparison shows. */
export interface Outcome {
  /** Per clock kind: clocks started in the period, met (stopped before the deadline) and breached. */
  readonly clocks: Record<string, { started: number; met: number; breached: number; compliance: number | null }>;
  readonly breachesByRep: Record<string, number>;
  readonly breachesByTeam: Record<string, number>;
  readonly breachesBySource: Record<string, number>;
  /** First-touch breaches, by lead id (sorted): the exact leads a candidate changes. */
  readonly firstTouchBreachedLeads: readonly string[];
  /** New assignments and reassignments per rep (every rep of the team filter or policy, zero included). */
  readonly leadsPerRep: Record<string, number>;
  readonly load: { max: number; min: number; spread: number; stdDev: number };
  readonly assignments: number;
  readonly reassignments: number;
  readonly queue: { queued: number; stillQueued: number; meanMinutes: number | null; p90Minutes: number | null };
  /** Reps taken out of rotation (with when) during the period. */
  readonly leftRotation: ReadonlyArray<{ repId: string; at: string }>;
  /**
   * Recorded touches whose rep does not own the lead under this run's
   * decisions: they count as a touch by someone else (stop no clock, free
   * no capacity).
   */
  readonly touchesBySomeoneElse: { count: number; examples: ReadonlyArray<{ leadId: string; repId: string; ownerRepId: string; at: string }> };
  /** Dispositions, accepts and rejects the disposition service refused (e.g. not the owner under this run). */
  readonly refusedDispositions: number;
}

export interface OutcomeScope {
  /** Only events in [from, to) count (ms). */
  readonly from: number;
  readonly to: number;
  /** Only this team's reps and clocks count; null: everyone. */
  readonly teamId: string | null;
  /** Rep id → team id, from the policy of the run (replaced by setTeams when the period starts). */
  readonly teamOf: ReadonlyMap<string, string>;
}

const inc = (m: Record<string, number>, k: string) => {
  m[k] = (m[k] ?? 0) + 1;
};

/**
 * Folds a run's simulated log (facts and decisions, in order) into its
 * Outcome. `ownerOf` is asked when a touch is applied, before the services
 * see it: who owns the lead under this run's decisions at that moment.
 */
export class OutcomeCollector {
  private readonly clocks: Record<string, { started: number; met: number; breached: number }> = {};
  private readonly byRep: Record<string, number> = {};
  private readonly byTeam: Record<string, number> = {};
  private readonly bySource: Record<string, number> = {};
  private readonly breachedLeads = new Set<string>();
  private readonly perRep: Record<string, number> = {};
  private readonly sourceOf = new Map<string, string>();
  private readonly queuedAt = new Map<string, number>();
  private readonly waits: number[] = [];
  private readonly leftRotation: Array<{ repId: string; at: string }> = [];
  private readonly someoneElse: Array<{ leadId: string; repId: string; ownerRepId: string; at: string }> = [];
  private someoneElseCount = 0;
  private assignments = 0;
  private reassignments = 0;
  private refused = 0;
  private teamOf: ReadonlyMap<string, string>;

  constructor(
    private readonly scope: OutcomeScope,
    private readonly ownerOf: (leadId: string) => string | null,
  ) {
    this.teamOf = scope.teamOf;
    this.setTeams(scope.teamOf);
  }

  /**
   * The reps and teams counted: those of the policy in force when the
   * period starts, which a replay following the log's versions knows only
   * once it gets there. Call before the first event of the period.
   */
  setTeams(teamOf: ReadonlyMap<string, string>): void {
    this.teamOf = teamOf;
    for (const repId of Object.keys(this.perRep)) delete this.perRep[repId];
    for (const [repId, teamId] of teamOf) if (this.scope.teamId === null || teamId === this.scope.teamId) this.perRep[repId] = 0;
  }

  private inTeam(teamId: string | null | undefined): boolean {
    return this.scope.teamId === null || teamId === this.scope.teamId;
  }

  onEvent(e: LeadEvent): void {
    if (e.type === 'LeadCreated' && e.leadId !== null) this.sourceOf.set(e.leadId, e.data.source);
    const at = Date.parse(e.recordedAt);
    if (at < this.scope.from || at >= this.scope.to) return;
    switch (e.type) {
      case 'SlaClockStarted':
        if (this.inTeam(e.data.teamId)) (this.clocks[e.data.clock] ??= { started: 0, met: 0, breached: 0 }).started++;
        break;
      case 'SlaClockStopped':
        if (e.data.outcome === 'met' && this.inTeam(this.teamOf.get(e.data.ownerRepId ?? ''))) (this.clocks[e.data.clock] ??= { started: 0, met: 0, breached: 0 }).met++;
        break;
      case 'SlaBreached': {
        if (!this.inTeam(e.data.teamId)) break;
        (this.clocks[e.data.clock] ??= { started: 0, met: 0, breached: 0 }).breached++;
        if (e.data.ownerRepId) inc(this.byRep, e.data.ownerRepId);
        if (e.data.teamId) inc(this.byTeam, e.data.teamId);
        inc(this.bySource, this.sourceOf.get(e.leadId ?? '') ?? 'unknown');
        if (e.data.clock === 'first_touch' && e.leadId) this.breachedLeads.add(e.leadId);
        break;
      }
      case 'LeadAssigned': {
        if (e.leadId !== null) {
          const queued = this.queuedAt.get(e.leadId);
          if (queued !== undefined) {
            this.waits.push((at - queued) / 60_000);
            this.queuedAt.delete(e.leadId);
          }
        }
        if (!this.inTeam(e.data.teamId)) break;
        this.assignments++;
        if (e.data.reassignment) this.reassignments++;
        inc(this.perRep, e.data.repId);
        break;
      }
      case 'LeadQueued':
        if (e.leadId !== null && !this.queuedAt.has(e.leadId)) this.queuedAt.set(e.leadId, at);
        break;
      case 'RepRotationChanged':
        if (!e.data.inRotation && this.inTeam(this.teamOf.get(e.data.repId))) this.leftRotation.push({ repId: e.data.repId, at: e.recordedAt });
        break;
      case 'LeadTouched': {
        if (e.leadId === null || e.data.direction !== 'outbound' || !e.data.personal || e.data.automated) break;
        const owner = this.ownerOf(e.leadId);
        if (owner !== null && owner !== e.data.repId && this.inTeam(this.teamOf.get(e.data.repId))) {
          this.someoneElseCount++;
          if (this.someoneElse.length < 20) this.someoneElse.push({ leadId: e.leadId, repId: e.data.repId, ownerRepId: owner, at: e.recordedAt });
        }
        break;
      }
      case 'DispositionRejected':
        this.refused++;
        break;
      default:
        break;
    }
  }

  outcome(): Outcome {
    const loads = Object.values(this.perRep);
    const mean = loads.length ? loads.reduce((a, b) => a + b, 0) / loads.length : 0;
    const waits = [...this.waits].sort((a, b) => a - b);
    const clocks = Object.fromEntries(
      Object.entries(this.clocks)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, c]) => [k, { ...c, compliance: c.started === 0 ? null : round((1 - c.breached / c.started) * 100, 1) }]),
    );
    return {
      clocks,
      breachesByRep: sorted(this.byRep),
      breachesByTeam: sorted(this.byTeam),
      breachesBySource: sorted(this.bySource),
      firstTouchBreachedLeads: [...this.breachedLeads].sort(),
      leadsPerRep: sorted(this.perRep),
      load: {
        max: loads.length ? Math.max(...loads) : 0,
        min: loads.length ? Math.min(...loads) : 0,
        spread: loads.length ? Math.max(...loads) - Math.min(...loads) : 0,
        stdDev: round(Math.sqrt(loads.reduce((s, l) => s + (l - mean) ** 2, 0) / Math.max(1, loads.length)), 2),
      },
      assignments: this.assignments,
      reassignments: this.reassignments,
      queue: {
        queued: this.waits.length + this.queuedAt.size,
        stillQueued: this.queuedAt.size,
        meanMinutes: waits.length ? round(waits.reduce((a, b) => a + b, 0) / waits.length, 1) : null,
        p90Minutes: waits.length ? round(waits[Math.min(waits.length - 1, Math.ceil(0.9 * waits.length) - 1)], 1) : null,
      },
      leftRotation: this.leftRotation,
      touchesBySomeoneElse: { count: this.someoneElseCount, examples: this.someoneElse },
      refusedDispositions: this.refused,
    };
  }
}

function sorted(m: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(m).sort(([a], [b]) => a.localeCompare(b)));
}

function round(n: number, digits: number): number {
  return Math.round(n * 10 ** digits) / 10 ** digits;
}

import fc from 'fast-check';
import type { ClockKind, LeadEvent } from '@lead-sla/contracts';
import { CELL_TABLE_NAMES, CELL_TABLES } from '../projections/scorecard-cells.projection';
import {
  leadAssigned,
  leadCreated,
  leadDispositioned,
  leadReassigned,
  leadRecycled,
  leadTouched,
  salDecided,
  slaBreached,
  slaClockStarted,
  slaClockStopped,
  slaEscalated,
  stageChanged,
} from '../testing/lead-events.fixture';
import { setup } from '../testing/reporting-database.setup';
import { DIMENSIONS, scorecardSql, type Dimension, type LeadFilters } from './scorecard-cells.query';
import { dailyScorecardSelect as referenceDailySelect, scorecardSql as referenceSql } from './scorecard-figures.query';

/**
 * The cells against an independent definition: after random streams of
 * lead events, applied in random batches with re-deliveries, every
 * scorecard read from the cells (HTTP query, BI view, speed-to-lead
 * distribution) equals the
 * reference GROUP BY over the lead rows (scorecard-figures.query.ts), and
 * building the cells again from the stored rows (a rebuild) gives the same
 * cells as the batch-by-batch changes did.
 */

const REPS = ['ava', 'ben', 'cai'] as const;
const TEAM: Record<(typeof REPS)[number], string> = { ava: 'team-a', ben: 'team-a', cai: 'team-b' };
const CLOCKS: readonly ClockKind[] = ['assign', 'first_touch', 'second_touch'];

type Step =
  | { kind: 'assign'; rep: (typeof REPS)[number] }
  | { kind: 'touch'; connected: boolean }
  | { kind: 'clock'; clock: ClockKind; outcome: 'met' | 'breached' | 'cancelled' | 'pending' }
  | { kind: 'escalate' }
  | { kind: 'disposition'; complete: boolean }
  | { kind: 'recycle' }
  | { kind: 'stage'; to: 'mql' | 'sql' | 'opportunity' }
  | { kind: 'sal'; decision: 'accepted' | 'rejected' };

interface LeadPlan {
  readonly day: string;
  readonly minute: number;
  readonly source: string;
  readonly segment: string;
  readonly steps: readonly Step[];
  readonly gaps: readonly number[];
}

const step: fc.Arbitrary<Step> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('assign' as const), rep: fc.constantFrom(...REPS) }), weight: 3 },
  fc.record({ kind: fc.constant('touch' as const), connected: fc.boolean() }),
  { arbitrary: fc.record({ kind: fc.constant('clock' as const), clock: fc.constantFrom(...CLOCKS), outcome: fc.constantFrom('met' as const, 'breached' as const, 'cancelled' as const, 'pending' as const) }), weight: 3 },
  fc.constant({ kind: 'escalate' as const }),
  fc.record({ kind: fc.constant('disposition' as const), complete: fc.boolean() }),
  fc.constant({ kind: 'recycle' as const }),
  fc.record({ kind: fc.constant('stage' as const), to: fc.constantFrom('mql' as const, 'sql' as const, 'opportunity' as const) }),
  fc.record({ kind: fc.constant('sal' as const), decision: fc.constantFrom('accepted' as const, 'rejected' as const) }),
);

const leadPlan: fc.Arbitrary<LeadPlan> = fc.record({
  day: fc.constantFrom('2026-03-02', '2026-03-03'),
  // Late in the day too: a lead created before midnight keeps its creation day whatever happens after.
  minute: fc.integer({ min: 0, max: 1439 }),
  source: fc.constantFrom('webinar', 'ads'),
  segment: fc.constantFrom('smb', 'enterprise'),
  steps: fc.array(step, { maxLength: 10 }),
  gaps: fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 10, maxLength: 10 }),
});

/** A lead's events in their log order, built from its plan (instants from the plan, never the wall clock). */
function eventsOf(leadId: string, plan: LeadPlan): LeadEvent[] {
  let t = Date.parse(`${plan.day}T00:00:00.000Z`) + plan.minute * 60_000;
  const at = (plusSeconds = 0) => new Date(t + plusSeconds * 1000).toISOString();
  const out: LeadEvent[] = [leadCreated(leadId, at(), { source: plan.source, segment: plan.segment })];
  let owner: (typeof REPS)[number] | null = null;
  const instances: Record<string, number> = {};
  let lastBreach: { clock: ClockKind; clockId: string; ownerRepId: string | null; teamId: string | null; deadline: string; steps: number } | null = null;
  plan.steps.forEach((s, i) => {
    // Seconds and milliseconds apart, so speeds and durations are not round numbers.
    t += plan.gaps[i] * 7_013;
    switch (s.kind) {
      case 'assign':
        if (owner === null) out.push(leadAssigned(leadId, at(), s.rep, { teamId: TEAM[s.rep] }));
        else if (owner !== s.rep) out.push(leadReassigned(leadId, at(), s.rep, owner, { teamId: TEAM[s.rep] }));
        owner = s.rep;
        break;
      case 'touch':
        if (owner !== null) out.push(leadTouched(leadId, at(), owner, s.connected ? { outcome: 'connected' } : {}));
        break;
      case 'clock': {
        const n = (instances[s.clock] = (instances[s.clock] ?? 0) + 1);
        const o = { clockId: `${leadId}:${s.clock}:${n}`, ownerRepId: owner, teamId: owner === null ? null : TEAM[owner], deadline: at(600) };
        out.push(slaClockStarted(leadId, at(), s.clock, o));
        if (s.outcome === 'met' || s.outcome === 'cancelled') out.push(slaClockStopped(leadId, at(30), s.clock, s.outcome, o));
        if (s.outcome === 'breached') {
          out.push(slaBreached(leadId, at(601), s.clock, o));
          lastBreach = { clock: s.clock, clockId: o.clockId, ownerRepId: o.ownerRepId, teamId: o.teamId, deadline: o.deadline, steps: 0 };
        }
        break;
      }
      case 'escalate':
        // A ladder step of the latest breach: it stays with the breach's holder, even after a reassignment.
        if (lastBreach !== null) {
          lastBreach.steps += 1;
          out.push(slaEscalated(leadId, at(), lastBreach.clock, lastBreach.steps, 'escalate_manager', lastBreach));
        }
        break;
      case 'disposition':
        if (owner !== null) out.push(leadDispositioned(leadId, at(), owner, s.complete ? {} : { nextStep: undefined }));
        break;
      case 'recycle':
        out.push(leadRecycled(leadId, at(), owner));
        break;
      case 'stage':
        out.push(stageChanged(leadId, at(), null, s.to));
        break;
      case 'sal':
        if (owner !== null) out.push(salDecided(leadId, at(), s.decision, owner, s.decision === 'rejected' ? 'bad_fit' : null));
        break;
    }
  });
  return out;
}

/** The leads' events interleaved in time order (each lead's own order kept), with re-deliveries, cut into batches. */
const scenario = fc.record({
  leads: fc.array(leadPlan, { minLength: 1, maxLength: 6 }),
  redeliver: fc.array(fc.nat(), { maxLength: 8 }),
  cuts: fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 20 }),
});

let run = 0;

function streamOf(s: { leads: readonly LeadPlan[]; redeliver: readonly number[] }): LeadEvent[] {
  run += 1;
  const events = s.leads.flatMap((plan, i) => eventsOf(`cells-${run}-${i}`, plan));
  const ordered = events.map((e, i) => ({ e, i })).sort((a, b) => Date.parse(a.e.occurredAt) - Date.parse(b.e.occurredAt) || a.i - b.i).map((x) => x.e);
  // A re-delivery is the same event (same id) again, later in the log.
  const again = s.redeliver.map((n) => ordered[n % ordered.length]);
  return [...ordered, ...again];
}

function batches<T>(items: readonly T[], cuts: readonly number[]): T[][] {
  const out: T[][] = [];
  for (let i = 0, c = 0; i < items.length; c++) {
    const size = cuts[c % cuts.length];
    out.push(items.slice(i, i + size));
    i += size;
  }
  return out;
}

/** Differences between two card lists (same order), numbers compared to 1e-9 relative (averages divide other sums). */
function differences(actual: ReadonlyArray<Record<string, unknown>>, expected: ReadonlyArray<Record<string, unknown>>): string[] {
  const out: string[] = [];
  if (actual.length !== expected.length) out.push(`${actual.length} cards, expected ${expected.length}`);
  expected.forEach((e, i) => {
    const a = actual[i] ?? {};
    const plain = (v: unknown) => (v instanceof Date ? v.toISOString() : v);
    for (const [column, expectedValue] of Object.entries(e)) {
      const want = plain(expectedValue);
      const got = plain(a[column]);
      const same = typeof want === 'number' && typeof got === 'number' ? Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want)) : got === want;
      if (!same) out.push(`card ${i} (${String(e.dimension ?? '')} ${String(e.key)} ${String(plain(e.day) ?? '')}) ${column}: ${String(got)}, expected ${String(want)}`);
    }
  });
  return out;
}

describe('scorecard cells equal a GROUP BY over the lead rows', () => {
  let fixture: Awaited<ReturnType<typeof setup>>;

  beforeAll(async () => {
    fixture = await setup();
  });
  afterAll(async () => {
    await fixture?.ctx.close();
  });

  const query = (sql: string, params: unknown[] = []) => fixture.ctx.dataSource.query(sql, params) as Promise<Array<Record<string, unknown>>>;

  async function cardDifferences(filters: LeadFilters, key: string | undefined): Promise<string[]> {
    const out: string[] = [];
    for (const dimension of DIMENSIONS as readonly Dimension[]) {
      for (const groupBy of ['day', 'period'] as const) {
        const q = { dimension, from: '2026-03-01', to: '2026-03-05', groupBy, key, filters, limit: 1000, offset: 0 };
        const cells = scorecardSql('reporting', q);
        const reference = referenceSql('reporting', q);
        const found = differences(await query(cells.sql, cells.params), await query(reference.sql, reference.params));
        out.push(...found.map((d) => `${dimension}/${groupBy} ${JSON.stringify(filters)} key=${key ?? '-'}: ${d}`));
      }
    }
    // The dashboard's speed-to-lead distribution, against the same count over the lead rows.
    const lowerBounds = [0, 60, 300, 600, 3600];
    const distribution = await fixture.sut.speedToLeadDistribution({ from: '2026-03-01', to: '2026-03-05', filters: { rep: filters.rep, team: filters.team }, lowerBounds });
    const conditions = [`created_day BETWEEN '2026-03-01' AND '2026-03-05'`, ...(filters.rep ? [`first_owner_rep_id = '${filters.rep}'`] : []), ...(filters.team ? [`first_owner_team_id = '${filters.team}'`] : [])];
    const leads = await query(`SELECT speed_to_lead_seconds AS s FROM reporting.lead_rows WHERE ${conditions.join(' AND ')}`);
    const expected = { counts: lowerBounds.map(() => 0), untouched: 0 };
    for (const { s } of leads as Array<{ s: number | null }>) {
      if (s === null) expected.untouched += 1;
      else expected.counts[Math.max(0, lowerBounds.filter((b) => s >= b).length - 1)] += 1;
    }
    if (JSON.stringify(distribution) !== JSON.stringify(expected)) out.push(`speed-to-lead distribution ${JSON.stringify(filters)}: ${JSON.stringify(distribution)}, expected ${JSON.stringify(expected)}`);

    const order = 'ORDER BY dimension, key, day';
    const view = await query(`SELECT * FROM reporting.daily_scorecard ${order}`);
    const referenceView = await query(`SELECT * FROM (${referenceDailySelect('reporting')}) v ${order}`);
    out.push(...differences(view, referenceView).map((d) => `bi view: ${d}`));
    return out;
  }

  /** The cells that hold something, as text rows per table (a cell of zeros is no cell). */
  async function cells(): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const t of CELL_TABLE_NAMES) out[t] = (await query(`SELECT c::text AS r FROM reporting.${t} c WHERE ${CELL_TABLES[t].present} ORDER BY 1`)).map((r) => r.r as string);
    return out;
  }

  it('after random streams in random batches with re-deliveries, reassignments, breaches, dispositions and recycles, and after a rebuild of the cells', async () => {
    await fc.assert(
      fc.asyncProperty(
        scenario,
        fc.constantFrom<LeadFilters>({}, { team: 'team-a' }, { rep: 'ben' }, { source: 'ads' }, { segment: 'enterprise' }),
        fc.constantFrom(undefined, 'ava', 'team-b', 'webinar'),
        async (s, filters, key) => {
          await query(`TRUNCATE reporting.lead_rows, reporting.breach_rows, reporting.clock_instances, reporting.board_rows, ${CELL_TABLE_NAMES.map((t) => `reporting.${t}`).join(', ')}`);
          const stream = streamOf(s);
          for (const batch of batches(stream, s.cuts)) await fixture.ctx.project(batch);

          expect(await cardDifferences({}, undefined)).toEqual([]);
          expect(await cardDifferences(filters, key)).toEqual([]);

          // The whole log again (a replay over live tables): nothing changes.
          const incremental = await cells();
          await fixture.ctx.project(stream);
          expect(await cells()).toEqual(incremental);

          // Built once from the stored rows (as a rebuild does): the same cells.
          await fixture.ctx.tx((tx) => fixture.ctx.store.rebuildCells(tx, 3));
          expect(await cells()).toEqual(incremental);
          expect(await cardDifferences(filters, key)).toEqual([]);
        },
      ),
      { numRuns: 40 },
    );
  }, 300_000);
});

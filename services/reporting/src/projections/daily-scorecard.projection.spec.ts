import type { LeadEvent } from '@lead-sla/contracts';
import { dailyScorecards, percentileDisc, scorecardCellsOf, scorecardFromLeadRows } from './daily-scorecard.projection';
import { evolveLeadRow, type LeadRow } from './lead-row.projection';
import {
  at,
  event,
  leadAssigned,
  leadCreated,
  leadDispositioned,
  leadReassigned,
  leadRecycled,
  leadRequalified,
  leadTouched,
  slaBreached,
  slaClockStarted,
  slaClockStopped,
  stageChanged,
} from '../testing/lead-events.fixture';

/** The timer's facts about one clock instance: started at `from`, deadline `minutes` later, stopped met at `metAt` (if given). */
function clock(leadId: string, kind: Parameters<typeof slaClockStarted>[2], from: number, minutes: number, o: { metAt?: number; owner?: string; id?: string } = {}): LeadEvent[] {
  const ids = { clockId: o.id ?? `${leadId}:${kind}:${from}`, ownerRepId: o.owner ?? null, deadline: at(from + minutes) };
  const start = slaClockStarted(leadId, at(from), kind, ids);
  return o.metAt === undefined ? [start] : [start, slaClockStopped(leadId, at(o.metAt), kind, 'met', ids)];
}

/**
 * A small day of leads (minutes after T0 = 2026-03-02T09:00Z). Speed to
 * lead per lead, by hand: L1 3-0 = 3 min, L2 15-10 = 5 min, L3 40-20 = 20 min,
 * L4 32-30 = 2 min, L5 50-40 = 10 min.
 */
function dayOfLeads(): LeadEvent[] {
  return [
    leadCreated('L1', at(0)),
    ...clock('L1', 'assign', 0, 2, { metAt: 1 }),
    leadAssigned('L1', at(1), 'rep-1'),
    ...clock('L1', 'first_touch', 1, 10, { metAt: 3, owner: 'rep-1' }),
    leadTouched('L1', at(3), 'rep-1', { outcome: 'connected' }),
    ...clock('L1', 'second_touch', 3, 30, { owner: 'rep-1' }),
    stageChanged('L1', at(10), 'inquiry', 'mql'),
    event('LeadAccepted', 'L1', at(60), { repId: 'rep-1' }),
    stageChanged('L1', at(60), 'mql', 'sal'),
    stageChanged('L1', at(600), 'sal', 'sql'),
    leadDispositioned('L1', at(600), 'rep-1', { code: 'Qualified' }),

    leadCreated('L2', at(10)),
    ...clock('L2', 'assign', 10, 2, { metAt: 11.5 }),
    leadAssigned('L2', at(11.5), 'rep-1'),
    ...clock('L2', 'first_touch', 11.5, 10, { metAt: 15, owner: 'rep-1' }),
    leadTouched('L2', at(15), 'rep-1'),
    ...clock('L2', 'second_touch', 15, 30, { owner: 'rep-1' }),
    stageChanged('L2', at(20), 'inquiry', 'mql'),
    event('LeadRejected', 'L2', at(40), { repId: 'rep-1', reason: 'student' }),
    leadDispositioned('L2', at(41), 'rep-1', { code: 'Not a Fit', nextStep: undefined }),

    leadCreated('L3', at(20)),
    ...clock('L3', 'assign', 20, 2, { metAt: 21 }),
    leadAssigned('L3', at(21), 'rep-1'),
    ...clock('L3', 'first_touch', 21, 10, { owner: 'rep-1', id: 'L3:first_touch:1' }),
    slaBreached('L3', at(31), 'first_touch', { clockId: 'L3:first_touch:1', ownerRepId: 'rep-1', startedAt: at(21), deadline: at(31) }),
    leadReassigned('L3', at(31), 'rep-3', 'rep-1'),
    ...clock('L3', 'first_touch', 31, 10, { metAt: 40, owner: 'rep-3', id: 'L3:first_touch:2' }),
    leadTouched('L3', at(40), 'rep-3'),
    ...clock('L3', 'second_touch', 40, 30, { owner: 'rep-3' }),
    leadRecycled('L3', at(120), 'rep-3'),
    leadRequalified('L3', at(2000)),
    stageChanged('L3', at(2100), 'inquiry', 'sql'),

    leadCreated('L4', at(30)),
    ...clock('L4', 'assign', 30, 2, { metAt: 31 }),
    leadAssigned('L4', at(31), 'rep-2'),
    ...clock('L4', 'first_touch', 31, 10, { metAt: 32, owner: 'rep-2' }),
    leadTouched('L4', at(32), 'rep-2'),
    ...clock('L4', 'second_touch', 32, 30, { metAt: 50, owner: 'rep-2' }),
    leadTouched('L4', at(50), 'rep-2', { channel: 'email', outcome: 'connected' }),
    stageChanged('L4', at(35), 'inquiry', 'mql'),

    leadCreated('L5', at(40)),
    ...clock('L5', 'assign', 40, 2, { metAt: 42 }),
    leadAssigned('L5', at(42), 'rep-2'),
    ...clock('L5', 'first_touch', 42, 10, { metAt: 50, owner: 'rep-2' }),
    leadTouched('L5', at(50), 'rep-2'),
    ...clock('L5', 'second_touch', 50, 30, { owner: 'rep-2' }),

    leadCreated('L6', at(24 * 60 + 5)),
    leadAssigned('L6', at(24 * 60 + 6), 'rep-1'),

    leadCreated('L7', at(60)),
  ];
}

function leadRows(events: readonly LeadEvent[]): LeadRow[] {
  const rows = new Map<string, LeadRow | null>();
  for (const e of events) {
    if (e.leadId === null) continue;
    rows.set(e.leadId, evolveLeadRow(rows.get(e.leadId) ?? null, e));
  }
  return [...rows.values()].filter((r): r is LeadRow => r !== null);
}

/** An independent percentile: the smallest value v with share(x ≤ v) ≥ p, by counting. */
function percentileByCounting(values: number[], p: number): number {
  const candidates = [...values].sort((a, b) => a - b);
  const hit = candidates.find((v) => values.filter((x) => x <= v).length / values.length >= p);
  if (hit === undefined) throw new Error('no values');
  return hit;
}

describe('daily scorecards', () => {
  const rows = leadRows(dayOfLeads());

  it('computes speed-to-lead median and p90 for a team and day as the discrete percentiles of the exact list', () => {
    const card = scorecardFromLeadRows(rows, 'team', 'team-a', '2026-03-02');
    const expected = [180, 300, 1200, 120, 600];

    expect(card.leads).toBe(5);
    expect(card.speedToLeadSeconds).toEqual([120, 180, 300, 600, 1200]);
    expect(card.speedToLeadMedianSeconds).toBe(percentileByCounting(expected, 0.5));
    expect(card.speedToLeadMedianSeconds).toBe(300);
    expect(card.speedToLeadP90Seconds).toBe(percentileByCounting(expected, 0.9));
    expect(card.speedToLeadP90Seconds).toBe(1200);
  });

  it('computes SLA compliance per clock as met over met plus breached', () => {
    const card = scorecardFromLeadRows(rows, 'team', 'team-a', '2026-03-02');

    expect(card.compliance.first_touch).toEqual({ met: 4, breached: 1, pending: 0, complianceRate: 4 / 5 });
    expect(card.compliance.assign).toEqual({ met: 5, breached: 0, pending: 0, complianceRate: 1 });
    expect(card.compliance.second_touch).toEqual({ met: 1, breached: 0, pending: 4, complianceRate: 1 });
    expect(card.compliance.unassigned_queue).toEqual({ met: 0, breached: 0, pending: 0, complianceRate: null });
    expect(card).toMatchObject({ breaches: 1, fallbacks: 1, leadsWithFallback: 1 });
  });

  it('computes assignment time, contact rate and attempts per lead', () => {
    const card = scorecardFromLeadRows(rows, 'team', 'team-a', '2026-03-02');

    // assignment: 60 + 90 + 60 + 60 + 120 seconds; attempts: 1 + 1 + 1 + 2 + 1
    expect(card).toMatchObject({
      assigned: 5,
      assignmentSecondsSum: 390,
      assignmentSecondsAvg: 78,
      contacted: 2,
      contactRate: 0.4,
      attempts: 6,
      attemptsPerLead: 1.2,
    });
  });

  it('computes the funnel, rejections, disposition completeness and recycling', () => {
    const card = scorecardFromLeadRows(rows, 'team', 'team-a', '2026-03-02');

    expect(card).toMatchObject({
      reachedMql: 4,
      reachedSal: 2,
      reachedSql: 2,
      reachedOpportunity: 0,
      mqlToSalRate: 0.5,
      salToSqlRate: 1,
      sqlToOpportunityRate: 0,
      rejected: 1,
      rejectReasons: { student: 1 },
      dispositioned: 2,
      dispositionsComplete: 1,
      dispositionCompleteness: 0.5,
      recycled: 1,
      recycleRate: 0.2,
      recycledToSql: 1,
      recycleToSqlRate: 1,
      timeToRecycleSecondsSum: 6000,
      timeToRecycleSecondsAvg: 6000,
    });
  });

  it('credits a lead to its first owner on the rep scorecard, even after a reassignment', () => {
    const card = scorecardFromLeadRows(rows, 'rep', 'rep-1', '2026-03-02');

    expect(card.leads).toBe(3);
    expect(card.speedToLeadSeconds).toEqual([180, 300, 1200]);
    expect(card.speedToLeadMedianSeconds).toBe(300);
    expect(card.speedToLeadP90Seconds).toBe(1200);
    expect(scorecardFromLeadRows(rows, 'rep', 'rep-3', '2026-03-02').leads).toBe(0);
  });

  it('counts a lead on the UTC day it was created and keeps unassigned leads off rep and team cards', () => {
    expect(dailyScorecards(rows, 'team').map((c) => [c.key, c.day, c.leads])).toEqual([
      ['team-a', '2026-03-02', 5],
      ['team-a', '2026-03-03', 1],
    ]);
    expect(dailyScorecards(rows, 'source').map((c) => [c.key, c.day, c.leads])).toEqual([
      ['webinar', '2026-03-02', 6],
      ['webinar', '2026-03-03', 1],
    ]);
    const unassigned = rows.find((r) => r.leadId === 'L7');
    expect(unassigned && scorecardCellsOf(unassigned)).toEqual([
      { dimension: 'source', key: 'webinar', day: '2026-03-02' },
      { dimension: 'segment', key: 'smb', day: '2026-03-02' },
    ]);
  });

  it('gives the same scorecards when every event is delivered twice', () => {
    const events = dayOfLeads();
    const twice = leadRows(events.flatMap((e) => [e, e]));

    expect(dailyScorecards(twice, 'team')).toEqual(dailyScorecards(rows, 'team'));
  });

  it('has no rates and no percentiles for an empty cell', () => {
    const card = scorecardFromLeadRows(rows, 'segment', 'enterprise', '2026-03-02');

    expect(card).toMatchObject({ leads: 0, speedToLeadMedianSeconds: null, speedToLeadP90Seconds: null, contactRate: null, recycleRate: null });
  });

  it('takes the discrete percentile like Postgres percentile_disc', () => {
    expect(percentileDisc([10, 20, 30, 40], 0.5)).toBe(20);
    expect(percentileDisc([10, 20, 30, 40], 0.9)).toBe(40);
    expect(percentileDisc([7], 0.9)).toBe(7);
    expect(percentileDisc([], 0.5)).toBeNull();
    for (const values of [[5, 1, 9, 3], [2, 2, 2, 8, 100, 4, 6, 1, 1, 3]]) {
      const sorted = [...values].sort((a, b) => a - b);
      expect(percentileDisc(sorted, 0.5)).toBe(percentileByCounting(values, 0.5));
      expect(percentileDisc(sorted, 0.9)).toBe(percentileByCounting(values, 0.9));
    }
  });
});

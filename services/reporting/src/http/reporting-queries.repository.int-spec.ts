import type { LeadEvent } from '@lead-sla/contracts';
import { setup } from '../testing/reporting-database.setup';
import {
  at,
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
  salDecided,
} from '../testing/lead-events.fixture';

/** The timer's facts about one clock instance: started at `from`, deadline `minutes` later, stopped met at `metAt` (if given). */
function clock(leadId: string, kind: Parameters<typeof slaClockStarted>[2], from: number, minutes: number, o: { metAt?: number; owner?: string; id?: string } = {}): LeadEvent[] {
  const ids = { clockId: o.id ?? `${leadId}:${kind}:${from}`, ownerRepId: o.owner ?? null, deadline: at(from + minutes) };
  const start = slaClockStarted(leadId, at(from), kind, ids);
  return o.metAt === undefined ? [start] : [start, slaClockStopped(leadId, at(o.metAt), kind, 'met', ids)];
}

/**
 * A small day of leads (minutes after T0 = 2026-03-02T09:00Z), with the
 * timer's facts as it publishes them. Speed to lead per lead, by hand:
 * L1 3-0 = 3 min, L2 15-10 = 5 min, L3 40-20 = 20 min, L4 32-30 = 2 min,
 * L5 50-40 = 10 min.
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
    salDecided('L1', at(60), 'accepted', 'rep-1'),
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
    salDecided('L2', at(40), 'rejected', 'rep-1', 'student_or_job_seeker', 'student'),
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

/** An independent percentile: the smallest value v with share(x ≤ v) ≥ p, by counting. */
function percentileByCounting(values: number[], p: number): number {
  const candidates = [...values].sort((a, b) => a - b);
  const hit = candidates.find((v) => values.filter((x) => x <= v).length / values.length >= p);
  if (hit === undefined) throw new Error('no values');
  return hit;
}

const DAY = '2026-03-02';
const events = dayOfLeads();

describe('reporting queries on real Postgres', () => {
  let fixture: Awaited<ReturnType<typeof setup>>;
  const card = async (dimension: 'rep' | 'team' | 'source' | 'segment', key: string, from = DAY, to = DAY) => {
    const { items } = await fixture.sut.scorecards({ dimension, from, to, groupBy: 'period', key, filters: {}, limit: 10, offset: 0 });
    return items[0] as Record<string, unknown> | undefined;
  };

  beforeAll(async () => {
    fixture = await setup();
    await fixture.ctx.project(events);
  });
  afterAll(async () => {
    await fixture?.ctx.close();
  });

  describe('scorecards (one definition: scorecards/scorecard-cells.query.ts over the daily cells)', () => {
    it('computes speed-to-lead median and p90 for a team and day as the discrete percentiles of the exact list', async () => {
      const expected = [180, 300, 1200, 120, 600];
      const team = await card('team', 'team-a');

      expect(team).toMatchObject({ leads: 5, firstTouched: 5 });
      expect(team?.speedToLeadMedianSeconds).toBe(percentileByCounting(expected, 0.5));
      expect(team?.speedToLeadMedianSeconds).toBe(300);
      expect(team?.speedToLeadP90Seconds).toBe(percentileByCounting(expected, 0.9));
      expect(team?.speedToLeadP90Seconds).toBe(1200);
    });

    it('computes SLA compliance per clock as met over met plus breached, from the timer facts', async () => {
      const team = await card('team', 'team-a');

      expect(team).toMatchObject({ firstTouchMet: 4, firstTouchBreached: 1, firstTouchPending: 0, firstTouchComplianceRate: 4 / 5 });
      expect(team).toMatchObject({ assignMet: 5, assignBreached: 0, assignPending: 0, assignComplianceRate: 1 });
      expect(team).toMatchObject({ secondTouchMet: 1, secondTouchBreached: 0, secondTouchPending: 4, secondTouchComplianceRate: 1 });
      expect(team).toMatchObject({ unassignedQueueMet: 0, unassignedQueueBreached: 0, unassignedQueuePending: 0, unassignedQueueComplianceRate: null });
      expect(team).toMatchObject({ breaches: 1, fallbacks: 1, leadsWithFallback: 1 });
    });

    it('computes assignment time, contact rate and attempts per lead', async () => {
      // assignment: 60 + 90 + 60 + 60 + 120 seconds; attempts: 1 + 1 + 1 + 2 + 1
      expect(await card('team', 'team-a')).toMatchObject({
        assigned: 5,
        assignmentSecondsAvg: 78,
        contacted: 2,
        contactRate: 0.4,
        attempts: 6,
        attemptsPerLead: 1.2,
      });
    });

    it('computes the funnel, rejections, disposition completeness and recycling', async () => {
      expect(await card('team', 'team-a')).toMatchObject({
        reachedMql: 4,
        reachedSal: 2,
        reachedSql: 2,
        reachedOpportunity: 0,
        mqlToSalRate: 0.5,
        salToSqlRate: 1,
        sqlToOpportunityRate: 0,
        rejected: 1,
        dispositioned: 2,
        dispositionsComplete: 1,
        dispositionCompleteness: 0.5,
        recycled: 1,
        recycleRate: 0.2,
        recycledToSql: 1,
        recycleToSqlRate: 1,
        timeToRecycleSecondsAvg: 6000,
      });
    });

    it('credits a lead to its first owner on the rep scorecard, even after a reassignment', async () => {
      expect(await card('rep', 'rep-1')).toMatchObject({ leads: 3, speedToLeadMedianSeconds: 300, speedToLeadP90Seconds: 1200 });
      expect(await card('rep', 'rep-3')).toBeUndefined();
    });

    it('counts a lead on the UTC day it was created and keeps unassigned leads off rep and team cards', async () => {
      const byDay = async (dimension: 'team' | 'source' | 'rep') =>
        (await fixture.sut.scorecards({ dimension, from: DAY, to: '2026-03-03', groupBy: 'day', filters: {}, limit: 10, offset: 0 })).items.map((c) => [c.key, c.day, c.leads]);

      expect(await byDay('team')).toEqual([
        ['team-a', '2026-03-02', 5],
        ['team-a', '2026-03-03', 1],
      ]);
      expect(await byDay('source')).toEqual([
        ['webinar', '2026-03-02', 6],
        ['webinar', '2026-03-03', 1],
      ]);
      const leadsOnRepCards = (await byDay('rep')).reduce((n, [, , leads]) => n + (leads as number), 0);
      expect(leadsOnRepCards).toBe(6);
    });

    it('gives the same scorecards when every event is delivered again, twice over', async () => {
      const before = await fixture.sut.scorecards({ dimension: 'team', from: DAY, to: '2026-03-03', groupBy: 'day', filters: {}, limit: 10, offset: 0 });
      await fixture.ctx.project(events.flatMap((e) => [e, e]));

      expect(await fixture.sut.scorecards({ dimension: 'team', from: DAY, to: '2026-03-03', groupBy: 'day', filters: {}, limit: 10, offset: 0 })).toEqual(before);
    });

    it('has no card for a cell without leads', async () => {
      expect(await card('segment', 'enterprise')).toBeUndefined();
    });

    it('serves BI the same figures as the HTTP API (bi.scorecard_daily_v1 reads the same definition)', async () => {
      const http = await fixture.sut.scorecards({ dimension: 'team', from: DAY, to: '2026-03-03', groupBy: 'day', filters: {}, limit: 10, offset: 0 });
      const bi: Array<Record<string, unknown>> = await fixture.ctx.dataSource.query(
        `SELECT key, day::text AS day, leads, first_touch_compliance_rate, speed_to_lead_median_seconds, speed_to_lead_p90_seconds, contact_rate, recycle_to_sql_rate
         FROM bi.scorecard_daily_v1 WHERE dimension = 'team' ORDER BY key, day`,
      );

      expect(bi.map((r) => [r.key, r.day, r.leads, r.first_touch_compliance_rate, r.speed_to_lead_median_seconds, r.speed_to_lead_p90_seconds, r.contact_rate, r.recycle_to_sql_rate])).toEqual(
        http.items.map((c) => [c.key, c.day, c.leads, c.firstTouchComplianceRate, c.speedToLeadMedianSeconds, c.speedToLeadP90Seconds, c.contactRate, c.recycleToSqlRate]),
      );
    });
  });

  describe('fair blame on rep and team cards (breaches and fallbacks go to who held the lead)', () => {
    const LATER = '2026-03-09';
    const m = 7 * 24 * 60; // minutes from T0 to LATER 09:00Z
    const cardOn = async (dimension: 'rep' | 'team', key: string) =>
      (await fixture.sut.scorecards({ dimension, from: LATER, to: LATER, groupBy: 'period', key, filters: {}, limit: 10, offset: 0 })).items[0] as
        | Record<string, unknown>
        | undefined;

    beforeAll(async () => {
      // rep-a (team-a) misses first touch, the lead goes to rep-b (team-b), who misses it too.
      await fixture.ctx.project([
        leadCreated('FB1', at(m)),
        leadAssigned('FB1', at(m + 1), 'rep-a'),
        ...clock('FB1', 'first_touch', m + 1, 10, { owner: 'rep-a', id: 'FB1:first_touch:1' }),
        slaBreached('FB1', at(m + 11), 'first_touch', { clockId: 'FB1:first_touch:1', ownerRepId: 'rep-a', teamId: 'team-a', startedAt: at(m + 1), deadline: at(m + 11) }),
        leadReassigned('FB1', at(m + 11), 'rep-b', 'rep-a'),
        ...clock('FB1', 'first_touch', m + 11, 10, { owner: 'rep-b', id: 'FB1:first_touch:2' }),
        slaBreached('FB1', at(m + 21), 'first_touch', { clockId: 'FB1:first_touch:2', ownerRepId: 'rep-b', teamId: 'team-b', startedAt: at(m + 11), deadline: at(m + 21) }),
      ]);
    });

    it('gives each rep the breach it held, and the fallback to the rep who lost the lead', async () => {
      expect(await cardOn('rep', 'rep-a')).toMatchObject({ leads: 1, breaches: 1, firstTouchBreached: 1, fallbacks: 1, leadsWithFallback: 1, firstTouchComplianceRate: 0 });
      expect(await cardOn('rep', 'rep-b')).toMatchObject({ leads: 0, breaches: 1, firstTouchBreached: 1, fallbacks: 0, leadsWithFallback: 0, firstTouchComplianceRate: 0 });
    });

    it('does the same for teams: the team of the holder, not of the first owner', async () => {
      expect(await cardOn('team', 'team-a')).toMatchObject({ leads: 1, breaches: 1, firstTouchBreached: 1, fallbacks: 1 });
      expect(await cardOn('team', 'team-b')).toMatchObject({ leads: 0, breaches: 1, firstTouchBreached: 1, fallbacks: 0 });
    });

    it('keeps lead-level cards (source) counting the lead once with all its breaches', async () => {
      const source = (await fixture.sut.scorecards({ dimension: 'source', from: LATER, to: LATER, groupBy: 'period', filters: {}, limit: 10, offset: 0 })).items[0];
      expect(source).toMatchObject({ leads: 1, breaches: 2, firstTouchBreached: 1, fallbacks: 1 });
    });

    it('serves BI the same holder figures on bi.scorecard_daily_v1', async () => {
      const bi: Array<Record<string, unknown>> = await fixture.ctx.dataSource.query(
        `SELECT dimension, key, leads, breaches, first_touch_breached, fallbacks FROM bi.scorecard_daily_v1 WHERE day = $1 AND dimension IN ('rep', 'team') ORDER BY dimension, key`,
        [LATER],
      );
      expect(bi.map((r) => [r.dimension, r.key, r.leads, r.breaches, r.first_touch_breached, r.fallbacks])).toEqual([
        ['rep', 'rep-a', 1, 1, 1, 1],
        ['rep', 'rep-b', 0, 1, 1, 0],
        ['team', 'team-a', 1, 1, 1, 1],
        ['team', 'team-b', 0, 1, 1, 0],
      ]);
    });
  });

  describe('lead timeline reads', () => {
    it('reads a lead row back as the projection wrote it, with its clock instances and breaches', async () => {
      const row = await fixture.sut.leadRow('L3');

      expect(row).toMatchObject({ leadId: 'L3', firstOwnerRepId: 'rep-1', currentRepId: 'rep-3', reassignmentCount: 1 });
      expect(row?.sla.first_touch).toMatchObject({ status: 'breached', clockId: 'L3:first_touch:2', breaches: 1 });
      expect((await fixture.sut.clockInstances('L3')).map((c) => [c.clockId, c.outcome])).toEqual([
        ['L3:assign:20', 'met'],
        ['L3:first_touch:1', null],
        ['L3:first_touch:2', 'met'],
        ['L3:second_touch:40', null],
      ]);
      expect((await fixture.sut.breachesOf('L3')).map((b) => [b.kind, b.clock, b.ownerRepId])).toEqual([['breach', 'first_touch', 'rep-1']]);
      expect(await fixture.sut.leadRow('nobody')).toBeNull();
    });
  });

  describe("the dashboard's reads", () => {
    it("lists a rep's running clocks, most urgent first, with the lead; a breached clock of an owner the lead has left is not theirs any more", async () => {
      const { items, more } = await fixture.sut.openClocks({ rep: 'rep-1' }, 100);
      expect(more).toBe(false);
      // L3's first-touch clock breached with rep-1 (never stopped), but L3 went to rep-3: not rep-1's work any more.
      expect(items.map((c) => [c.clockId, c.deadline])).toEqual([
        ['L1:second_touch:3', at(33)],
        ['L2:second_touch:15', at(45)],
      ]);
      expect(items[0]).toMatchObject({ leadId: 'L1', clock: 'second_touch', ownerRepId: 'rep-1', teamId: 'team-a', startedAt: at(3), source: 'webinar', currentRepId: 'rep-1' });
      expect((await fixture.sut.openClocks({ rep: 'rep-3' }, 100)).items.map((c) => c.clockId)).toEqual(['L3:second_touch:40']);
      expect((await fixture.sut.openClocks({ team: 'team-a' }, 2)).more).toBe(true);
      expect((await fixture.sut.openClocks({ team: 'team-z' }, 100)).items).toEqual([]);
    });

    it('counts speed to lead in buckets, and the leads not touched yet', async () => {
      // By hand: L4 120 s and L1 180 s in 1–5 min, L2 300 s in 5–10 min, L5 600 s and L3 1200 s in 10–30 min; L7 untouched.
      const lowerBounds = [0, 60, 300, 600, 1800, 3600, 86_400];
      expect(await fixture.sut.speedToLeadDistribution({ from: DAY, to: DAY, filters: {}, lowerBounds })).toEqual({ counts: [0, 2, 1, 2, 0, 0, 0], untouched: 1 });
      expect(await fixture.sut.speedToLeadDistribution({ from: DAY, to: DAY, filters: { rep: 'rep-2' }, lowerBounds })).toEqual({ counts: [0, 1, 0, 1, 0, 0, 0], untouched: 0 });
    });
  });

  describe('MQL rejections for marketing (bi.mql_rejections_v1)', () => {
    it('lists each verified rejection with its policy reason code and the lead source, to count by both', async () => {
      const rows: Array<Record<string, unknown>> = await fixture.ctx.dataSource.query(
        'SELECT reason_code, source, count(*)::int AS rejections FROM bi.mql_rejections_v1 GROUP BY reason_code, source ORDER BY reason_code',
      );
      expect(rows).toEqual([{ reason_code: 'student_or_job_seeker', source: 'webinar', rejections: 1 }]);
      const detail: Array<Record<string, unknown>> = await fixture.ctx.dataSource.query('SELECT lead_id, reason, rejected_by FROM bi.mql_rejections_v1');
      expect(detail).toEqual([{ lead_id: 'L2', reason: 'student', rejected_by: 'rep-1' }]);
    });
  });
});

import { evolveLeadRow, leadRowKeyOf, type LeadRow } from './lead-row.projection';
import {
  at,
  deepFreeze,
  event,
  leadAssigned,
  leadCreated,
  leadDispositioned,
  leadReassigned,
  leadRecycled,
  leadRequalified,
  leadSuppressed,
  leadTouched,
  repAvailabilityChanged,
  replay,
  slaBreached,
  slaClockStarted,
  slaClockStopped,
  slaEscalated,
  slaWarning,
  stageChanged,
  salDecided,
} from '../testing/lead-events.fixture';

const LEAD = 'lead-1';

function given(...events: Parameters<typeof evolveLeadRow>[1][]): LeadRow {
  const row = replay(evolveLeadRow, events);
  if (row === null) throw new Error('expected a lead row');
  return deepFreeze(row);
}

/** The timer's facts as it publishes them: a clock instance with a deadline `minutes` after its start. */
const started = (clock: Parameters<typeof slaClockStarted>[2], minute: number, minutes: number, ownerRepId: string | null = null) =>
  slaClockStarted(LEAD, at(minute), clock, { ownerRepId, deadline: at(minute + minutes) });
const stoppedMet = (clock: Parameters<typeof slaClockStopped>[2], minute: number, startedMinute: number, minutes: number, ownerRepId: string | null = null) =>
  slaClockStopped(LEAD, at(minute), clock, 'met', { ownerRepId, deadline: at(startedMinute + minutes) });

describe('lead row projection', () => {
  describe('creation', () => {
    it('starts a row with the lead dimensions when the lead is created, and a running assign clock once the timer started it', () => {
      const row = given(leadCreated(LEAD, at(0), { source: 'demo', segment: 'enterprise', territory: 'na', intentTier: 'warm', vip: true }), started('assign', 0, 2));

      expect(row).toMatchObject({
        leadId: LEAD,
        status: 'unassigned',
        createdAt: at(0),
        source: 'demo',
        segment: 'enterprise',
        territory: 'na',
        tier: 'warm',
        vip: true,
        stage: 'inquiry',
        attempts: 0,
        breachCount: 0,
      });
      expect(row.sla.assign).toMatchObject({ status: 'pending', startedAt: at(0) });
      expect(row.sla.first_touch.status).toBe('not_started');
    });

    it('ignores events for a lead whose creation it never saw', () => {
      expect(evolveLeadRow(null, leadAssigned(LEAD, at(1), 'rep-1'))).toBeNull();
    });

    it('keys rows by lead and has no row for facts about a rep', () => {
      expect(leadRowKeyOf(leadCreated(LEAD, at(0)))).toBe(LEAD);
      expect(leadRowKeyOf(repAvailabilityChanged('rep-1', at(0)))).toBeNull();
    });
  });

  describe('assignment', () => {
    it('records the owner when the lead is assigned, and the assign and first-touch clocks as the timer stops and starts them', () => {
      const row = given(
        leadCreated(LEAD, at(0)),
        started('assign', 0, 2),
        leadAssigned(LEAD, at(1.5), 'rep-1'),
        stoppedMet('assign', 1.5, 0, 2),
        started('first_touch', 1.5, 10, 'rep-1'),
      );

      expect(row).toMatchObject({
        status: 'awaiting_first_touch',
        assignedAt: at(1.5),
        firstOwnerRepId: 'rep-1',
        firstOwnerTeamId: 'team-a',
        currentRepId: 'rep-1',
        currentTeamId: 'team-a',
        currentPoolId: 'pool-a',
        currentManagerId: 'mgr-a',
        currentAssignedAt: at(1.5),
        reassignmentCount: 0,
      });
      expect(row.sla.assign).toMatchObject({ status: 'met', stoppedAt: at(1.5) });
      expect(row.sla.first_touch).toMatchObject({ status: 'pending', startedAt: at(1.5) });
      expect(row.owners).toEqual([expect.objectContaining({ repId: 'rep-1', reason: 'rule', reassignment: false, at: at(1.5) })]);
    });

    it('keeps every owner change in order with its reason and counts reassignments', () => {
      const row = given(
        leadCreated(LEAD, at(0)),
        leadAssigned(LEAD, at(1), 'rep-1'),
        leadReassigned(LEAD, at(11), 'rep-2', 'rep-1'),
        leadReassigned(LEAD, at(21), 'rep-3', 'rep-2', { reassignmentCause: 'escalation ladder' }),
      );

      expect(row.owners.map((o) => [o.repId, o.reason, o.previousRepId, o.cause, o.at])).toEqual([
        ['rep-1', 'rule', null, null, at(1)],
        ['rep-2', 'reassignment', 'rep-1', 'first_touch SLA breached', at(11)],
        ['rep-3', 'reassignment', 'rep-2', 'escalation ladder', at(21)],
      ]);
      expect(row).toMatchObject({
        reassignmentCount: 2,
        firstOwnerRepId: 'rep-1',
        currentRepId: 'rep-3',
        currentTeamId: 'team-b',
        currentAssignedAt: at(21),
        assignedAt: at(1),
      });
    });
  });

  describe('touches', () => {
    it('records the first and second owned touches with their channels and counts attempts', () => {
      const row = given(
        leadCreated(LEAD, at(0)),
        leadAssigned(LEAD, at(1), 'rep-1'),
        started('first_touch', 1, 10, 'rep-1'),
        started('response', 1, 60, 'rep-1'),
        leadTouched(LEAD, at(4), 'rep-1', { channel: 'phone' }),
        stoppedMet('first_touch', 4, 1, 10, 'rep-1'),
        stoppedMet('response', 4, 1, 60, 'rep-1'),
        started('second_touch', 4, 30, 'rep-1'),
        leadTouched(LEAD, at(20), 'rep-1', { channel: 'email', outcome: 'sent' }),
        stoppedMet('second_touch', 20, 4, 30, 'rep-1'),
        leadTouched(LEAD, at(60), 'rep-1', { channel: 'phone', outcome: 'connected' }),
      );

      expect(row.firstTouch).toMatchObject({ at: at(4), repId: 'rep-1', channel: 'phone' });
      expect(row.secondTouch).toMatchObject({ at: at(20), repId: 'rep-1', channel: 'email' });
      expect(row).toMatchObject({ status: 'working', attempts: 3, attemptChannels: ['phone', 'email'], lastAttemptAt: at(60), contactedAt: at(60) });
      expect(row.sla.first_touch).toMatchObject({ status: 'met', stoppedAt: at(4) });
      expect(row.sla.response).toMatchObject({ status: 'met', stoppedAt: at(4) });
      expect(row.sla.second_touch).toMatchObject({ status: 'met', startedAt: at(4), stoppedAt: at(20) });
    });

    it('does not count touches that are not owned: another rep, automated, impersonal or inbound', () => {
      const row = given(
        leadCreated(LEAD, at(0)),
        leadAssigned(LEAD, at(1), 'rep-1'),
        started('first_touch', 1, 10, 'rep-1'),
        leadTouched(LEAD, at(2), 'rep-9'),
        leadTouched(LEAD, at(3), 'rep-1', { automated: true }),
        leadTouched(LEAD, at(4), 'rep-1', { personal: false, channel: 'email', outcome: 'sent' }),
        leadTouched(LEAD, at(5), 'rep-1', { direction: 'inbound', channel: 'email', outcome: 'replied' }),
      );

      expect(row).toMatchObject({ status: 'awaiting_first_touch', firstTouch: null, attempts: 0, contactedAt: at(5) });
      expect(row.sla.first_touch.status).toBe('pending');
    });

    it('does not count a touch made before anyone owns the lead', () => {
      const row = given(leadCreated(LEAD, at(0)), leadTouched(LEAD, at(0.5), 'rep-1'), leadAssigned(LEAD, at(1), 'rep-1'));

      expect(row.firstTouch).toBeNull();
      expect(row.attempts).toBe(0);
    });

    it('counts only the new owner once the lead was reassigned', () => {
      const row = given(
        leadCreated(LEAD, at(0)),
        leadAssigned(LEAD, at(1), 'rep-1'),
        leadReassigned(LEAD, at(11), 'rep-2', 'rep-1'),
        leadTouched(LEAD, at(12), 'rep-1'),
        leadTouched(LEAD, at(13), 'rep-2', { channel: 'sms' }),
      );

      expect(row.firstTouch).toMatchObject({ repId: 'rep-2', at: at(13), channel: 'sms' });
      expect(row.attempts).toBe(1);
    });
  });

  describe('SLA outcomes', () => {
    it('takes the deadline from a warning and marks the clock breached with its deadline on a breach', () => {
      const deadline = at(11);
      const row = given(
        leadCreated(LEAD, at(0)),
        leadAssigned(LEAD, at(1), 'rep-1'),
        slaWarning(LEAD, at(9), 'first_touch', { ownerRepId: 'rep-1', startedAt: at(1), deadline }),
        slaBreached(LEAD, at(11), 'first_touch', { ownerRepId: 'rep-1', startedAt: at(1), deadline }),
        slaEscalated(LEAD, at(11), 'first_touch', 1, 'reassign', { ownerRepId: 'rep-1', startedAt: at(1), deadline }),
      );

      expect(row.sla.first_touch).toMatchObject({
        status: 'breached',
        deadline,
        warnedAt: at(9),
        breachedAt: at(11),
        ownerRepId: 'rep-1',
        latestInstanceBreached: true,
        breaches: 1,
        escalations: 1,
      });
      expect(row).toMatchObject({ breachCount: 1, escalationCount: 1 });
    });

    it('keeps a breached clock breached when its stopping fact comes later (the timer publishes no stop after a breach)', () => {
      const row = given(
        leadCreated(LEAD, at(0)),
        leadAssigned(LEAD, at(1), 'rep-1'),
        started('first_touch', 1, 10, 'rep-1'),
        slaBreached(LEAD, at(11), 'first_touch', { ownerRepId: 'rep-1', startedAt: at(1), deadline: at(11) }),
        leadTouched(LEAD, at(15), 'rep-1'),
      );

      expect(row.sla.first_touch).toMatchObject({ status: 'breached', startedAt: at(1), breachedAt: at(11), stoppedAt: null });
      expect(row.firstTouch).toMatchObject({ at: at(15) });
    });

    it('keeps a breach on the record when the timer restarts the clock for a new owner, who then meets it', () => {
      const row = given(
        leadCreated(LEAD, at(0)),
        leadAssigned(LEAD, at(1), 'rep-1'),
        slaClockStarted(LEAD, at(1), 'first_touch', { clockId: 'c1', ownerRepId: 'rep-1', deadline: at(11) }),
        slaBreached(LEAD, at(11), 'first_touch', { clockId: 'c1', ownerRepId: 'rep-1', startedAt: at(1), deadline: at(11) }),
        leadReassigned(LEAD, at(11), 'rep-2', 'rep-1'),
        slaClockStarted(LEAD, at(11), 'first_touch', { clockId: 'c2', ownerRepId: 'rep-2', deadline: at(21) }),
        leadTouched(LEAD, at(13), 'rep-2'),
        slaClockStopped(LEAD, at(13), 'first_touch', 'met', { clockId: 'c2', ownerRepId: 'rep-2', deadline: at(21) }),
      );

      expect(row.sla.first_touch).toMatchObject({ status: 'breached', clockId: 'c2', stoppedAt: at(13), latestInstanceBreached: false, breaches: 1 });
    });

    it('follows the timer when a reassignment restarts a clock the first owner had met: pending until the new owner meets it', () => {
      const prefix = [
        leadCreated(LEAD, at(0)),
        leadAssigned(LEAD, at(1), 'rep-1'),
        slaClockStarted(LEAD, at(1), 'first_touch', { clockId: 'c1', ownerRepId: 'rep-1', deadline: at(11) }),
        leadTouched(LEAD, at(2), 'rep-1'),
        slaClockStopped(LEAD, at(2), 'first_touch', 'met', { clockId: 'c1', ownerRepId: 'rep-1', deadline: at(11) }),
        leadReassigned(LEAD, at(30), 'rep-2', 'rep-1', { reassignmentCause: 'manager' }),
        slaClockStarted(LEAD, at(30), 'first_touch', { clockId: 'c2', ownerRepId: 'rep-2', deadline: at(40) }),
      ];
      expect(given(...prefix).sla.first_touch).toMatchObject({ status: 'pending', clockId: 'c2', deadline: at(40), stoppedAt: null });

      const met = given(...prefix, leadTouched(LEAD, at(31), 'rep-2'), slaClockStopped(LEAD, at(31), 'first_touch', 'met', { clockId: 'c2', deadline: at(40) }));
      expect(met.sla.first_touch).toMatchObject({ status: 'met', stoppedAt: at(31) });
    });

    it('changes nothing on a cancelled instance or a stop of an older instance', () => {
      const row = given(
        leadCreated(LEAD, at(0)),
        leadAssigned(LEAD, at(1), 'rep-1'),
        slaClockStarted(LEAD, at(1), 'first_touch', { clockId: 'c1', ownerRepId: 'rep-1', deadline: at(11) }),
      );
      expect(evolveLeadRow(row, slaClockStopped(LEAD, at(5), 'first_touch', 'cancelled', { clockId: 'c1', deadline: at(11) }))?.sla).toBe(row.sla);
      expect(evolveLeadRow(row, slaClockStopped(LEAD, at(5), 'first_touch', 'met', { clockId: 'c0', deadline: at(11) }))?.sla).toBe(row.sla);
    });

    it('leaves a clock the timer never started (disabled by the tier) not started, whatever the facts', () => {
      const row = given(leadCreated(LEAD, at(0)), leadAssigned(LEAD, at(1), 'rep-1'), leadTouched(LEAD, at(2), 'rep-1'), salDecided(LEAD, at(3), 'accepted', 'rep-1'));

      for (const clock of ['assign', 'first_touch', 'response', 'second_touch', 'accept_reject'] as const) expect(row.sla[clock].status).toBe('not_started');
    });

    it('moves the deadline to the newest clock instance after a reassignment', () => {
      const row = given(
        leadCreated(LEAD, at(0)),
        leadAssigned(LEAD, at(1), 'rep-1'),
        slaBreached(LEAD, at(11), 'first_touch', { clockId: 'c1', ownerRepId: 'rep-1', deadline: at(11) }),
        leadReassigned(LEAD, at(11), 'rep-2', 'rep-1'),
        slaWarning(LEAD, at(19), 'first_touch', { clockId: 'c2', ownerRepId: 'rep-2', deadline: at(21) }),
      );

      expect(row.sla.first_touch).toMatchObject({
        status: 'breached',
        clockId: 'c2',
        deadline: at(21),
        ownerRepId: 'rep-2',
        warnedAt: at(19),
        latestInstanceBreached: false,
        breaches: 1,
      });
    });

    it('stops the accept/reject clock on acceptance', () => {
      const row = given(
        leadCreated(LEAD, at(0)),
        leadAssigned(LEAD, at(1), 'rep-1'),
        started('accept_reject', 1, 1440, 'rep-1'),
        event('LeadAccepted', LEAD, at(20), { actor: null, repId: 'rep-1' }), // the request alone changes nothing
        salDecided(LEAD, at(30), 'accepted', 'rep-1'),
        stoppedMet('accept_reject', 30, 1, 1440, 'rep-1'),
      );

      expect(row).toMatchObject({ acceptedAt: at(30), acceptedBy: 'rep-1' });
      expect(row.sla.accept_reject).toMatchObject({ status: 'met', startedAt: at(1), stoppedAt: at(30) });
    });
  });

  describe('funnel, dispositions and recycling', () => {
    it('records stage changes in order and the first time each stage was reached', () => {
      const row = given(
        leadCreated(LEAD, at(0)),
        stageChanged(LEAD, at(1), 'inquiry', 'mql'),
        stageChanged(LEAD, at(60), 'mql', 'sal'),
        stageChanged(LEAD, at(600), 'sal', 'opportunity'),
      );

      expect(row.stageChanges.map((s) => s.to)).toEqual(['mql', 'sal', 'opportunity']);
      expect(row).toMatchObject({ stage: 'opportunity', highestStage: 'opportunity', mqlAt: at(1), salAt: at(60), sqlAt: at(600), opportunityAt: at(600) });
    });

    it('records a rejection with its reason code and text and stops the accept/reject clock', () => {
      const row = given(
        leadCreated(LEAD, at(0)),
        leadAssigned(LEAD, at(1), 'rep-1'),
        started('accept_reject', 1, 1440, 'rep-1'),
        salDecided(LEAD, at(50), 'rejected', 'rep-1', 'student_or_job_seeker', 'student'),
        stoppedMet('accept_reject', 50, 1, 1440, 'rep-1'),
      );

      expect(row).toMatchObject({ status: 'rejected', rejectedAt: at(50), rejectedBy: 'rep-1', rejectReasonCode: 'student_or_job_seeker', rejectReason: 'student' });
      expect(row.sla.accept_reject.status).toBe('met');
    });

    it('changes nothing on an accept/reject request or its refusal: only the verdict counts', () => {
      const base = [leadCreated(LEAD, at(0)), leadAssigned(LEAD, at(1), 'rep-1')] as const;
      const before = given(...base);
      const refused = given(
        ...base,
        event('LeadRejected', LEAD, at(5), { actor: null, repId: 'rep-2', reasonCode: 'not_a_fit' }),
        event('SalDecisionRefused', LEAD, at(5), { decision: 'rejected', repId: 'rep-2', requestEventId: 'r1', kind: 'forbidden', problems: ['not the owner'], policyVersion: 'test-1' }),
      );
      expect(refused).toEqual({ ...before, lastEventAt: refused.lastEventAt, appliedEventIds: refused.appliedEventIds });
      expect(refused).toMatchObject({ status: 'awaiting_first_touch', rejectedAt: null, acceptedAt: null });
    });

    it('keeps the latest disposition and falls back to the previous one when a disposition is rejected', () => {
      const good = leadDispositioned(LEAD, at(30), 'rep-1', { code: 'Working' });
      const bad = leadDispositioned(LEAD, at(40), 'rep-1', { code: 'No Response', reason: undefined, nextStep: undefined });
      const row = given(
        leadCreated(LEAD, at(0)),
        leadAssigned(LEAD, at(1), 'rep-1'),
        good,
        bad,
        event('DispositionRejected', LEAD, at(40), {
          repId: 'rep-1',
          code: 'No Response',
          dispositionEventId: bad.eventId,
          problems: ['minimum effort not met'],
          policyVersion: 'v1',
        }),
      );

      expect(row.disposition).toMatchObject({ code: 'Working', reason: 'called twice', nextStep: 'call again', at: at(30) });
      expect(row.dispositions[1]).toMatchObject({ code: 'No Response', rejectedAt: at(40), problems: ['minimum effort not met'] });
    });

    it('records recycling, re-qualification and the first SQL after a recycle', () => {
      const row = given(
        leadCreated(LEAD, at(0)),
        leadAssigned(LEAD, at(1), 'rep-1'),
        leadTouched(LEAD, at(2), 'rep-1'),
        leadRecycled(LEAD, at(100), 'rep-1'),
        leadRequalified(LEAD, at(5000)),
      );
      expect(row).toMatchObject({ status: 'requalified', recycledAt: at(100), recycleCount: 1, requalifiedAt: at(5000), cycleFirstTouchAt: null });

      const later = replay(
        evolveLeadRow,
        [leadAssigned(LEAD, at(5001), 'rep-2', { reason: 'requalified' }), stageChanged(LEAD, at(6000), 'mql', 'sql')],
        row,
      );
      expect(later).toMatchObject({ status: 'awaiting_first_touch', currentRepId: 'rep-2', sqlAfterRecycleAt: at(6000), firstTouch: expect.objectContaining({ at: at(2) }) });
    });

    it('makes suppression final: later recycling or assignment does not reopen the lead', () => {
      const row = given(
        leadCreated(LEAD, at(0)),
        leadAssigned(LEAD, at(1), 'rep-1'),
        event('ConsentWithdrawn', LEAD, at(2), {}),
        leadSuppressed(LEAD, at(2)),
        leadAssigned(LEAD, at(3), 'rep-2'),
      );

      expect(row).toMatchObject({ status: 'suppressed', suppressedAt: at(2), suppressionCause: 'consent_withdrawn', consentWithdrawnAt: at(2) });
    });
  });

  describe('idempotency and events out of interest', () => {
    it('leaves the row unchanged when the same event is applied twice', () => {
      const touch = leadTouched(LEAD, at(4), 'rep-1');
      const row = given(leadCreated(LEAD, at(0)), leadAssigned(LEAD, at(1), 'rep-1'), touch);

      expect(evolveLeadRow(row, touch)).toBe(row);
      expect(row.attempts).toBe(1);
    });

    it('does not move the owner back when a late duplicate of an old assignment arrives', () => {
      const first = leadAssigned(LEAD, at(1), 'rep-1');
      const breach = slaBreached(LEAD, at(11), 'first_touch', { deadline: at(11) });
      const row = given(leadCreated(LEAD, at(0)), first, breach, leadReassigned(LEAD, at(11), 'rep-2', 'rep-1'), first, breach);

      expect(row).toMatchObject({ currentRepId: 'rep-2', reassignmentCount: 1, breachCount: 1 });
      expect(row.owners).toHaveLength(2);
    });

    it('returns the same row for facts about reps and for another lead', () => {
      const row = given(leadCreated(LEAD, at(0)));

      expect(evolveLeadRow(row, repAvailabilityChanged('rep-1', at(1)))).toBe(row);
      expect(evolveLeadRow(row, event('RepReinstated', null, at(1), { actor: null, repId: 'rep-1', managerId: 'm' }))).toBe(row);
      expect(evolveLeadRow(row, leadAssigned('lead-2', at(1), 'rep-1'))).toBe(row);
    });

    it('gives the same row when the whole stream is replayed', () => {
      const stream = [
        leadCreated(LEAD, at(0)),
        leadAssigned(LEAD, at(1), 'rep-1'),
        slaBreached(LEAD, at(11), 'first_touch', { deadline: at(11) }),
        leadReassigned(LEAD, at(11), 'rep-2', 'rep-1'),
        leadTouched(LEAD, at(12), 'rep-2'),
      ];

      expect(replay(evolveLeadRow, stream)).toEqual(replay(evolveLeadRow, stream));
      expect(replay(evolveLeadRow, [...stream, ...stream])).toEqual(replay(evolveLeadRow, stream));
    });
  });
});

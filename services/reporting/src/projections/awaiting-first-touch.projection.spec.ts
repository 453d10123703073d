import { awaitingFirstTouchRowOf } from './awaiting-first-touch.projection';
import { evolveLeadRow, type LeadRow } from './lead-row.projection';
import {
  at,
  event,
  leadAssigned,
  leadCreated,
  leadReassigned,
  leadRecycled,
  leadRequalified,
  leadSuppressed,
  leadTouched,
  replay,
  slaBreached,
  slaWarning,
  salDecided,
} from '../testing/lead-events.fixture';

const LEAD = 'lead-1';

function boardAfter(...events: Parameters<typeof evolveLeadRow>[1][]) {
  return awaitingFirstTouchRowOf(replay(evolveLeadRow, events));
}

describe('awaiting-first-touch board', () => {
  it('does not show a lead that has no owner yet', () => {
    expect(boardAfter(leadCreated(LEAD, at(0)))).toBeNull();
    expect(boardAfter(leadCreated(LEAD, at(0)), event('LeadQueued', LEAD, at(1), { poolId: 'p', ruleId: null, cause: 'all skipped', skipped: [], previousRepId: null, policyVersion: 'v1' }))).toBeNull();
  });

  it('shows a lead once it is assigned, with its owner and assignment time and no deadline yet', () => {
    expect(boardAfter(leadCreated(LEAD, at(0), { intentTier: 'hot', vip: true }), leadAssigned(LEAD, at(1), 'rep-1'))).toEqual({
      leadId: LEAD,
      ownerRepId: 'rep-1',
      teamId: 'team-a',
      poolId: 'pool-a',
      managerId: 'mgr-a',
      assignedAt: at(1),
      firstAssignedAt: at(1),
      createdAt: at(0),
      source: 'webinar',
      segment: 'smb',
      territory: 'emea',
      tier: 'hot',
      vip: true,
      reassignmentCount: 0,
      deadline: null,
      clockId: null,
      warnedAt: null,
      breached: false,
    });
  });

  it('shows the deadline once the timer warns about the current clock', () => {
    const row = boardAfter(
      leadCreated(LEAD, at(0)),
      leadAssigned(LEAD, at(1), 'rep-1'),
      slaWarning(LEAD, at(9), 'first_touch', { clockId: 'c1', ownerRepId: 'rep-1', startedAt: at(1), deadline: at(11) }),
    );

    expect(row).toMatchObject({ deadline: at(11), clockId: 'c1', warnedAt: at(9), breached: false });
  });

  it('moves to the new owner on reassignment and forgets the old owner\'s deadline until the new clock is known', () => {
    const stream = [
      leadCreated(LEAD, at(0)),
      leadAssigned(LEAD, at(1), 'rep-1'),
      slaBreached(LEAD, at(11), 'first_touch', { clockId: 'c1', ownerRepId: 'rep-1', startedAt: at(1), deadline: at(11) }),
    ];
    expect(boardAfter(...stream)).toMatchObject({ ownerRepId: 'rep-1', deadline: at(11), breached: true });

    const moved = [...stream, leadReassigned(LEAD, at(11), 'rep-2', 'rep-1')];
    expect(boardAfter(...moved)).toMatchObject({ ownerRepId: 'rep-2', teamId: 'team-b', assignedAt: at(11), firstAssignedAt: at(1), reassignmentCount: 1, deadline: null, breached: false });

    const warned = [...moved, slaWarning(LEAD, at(19), 'first_touch', { clockId: 'c2', ownerRepId: 'rep-2', startedAt: at(11), deadline: at(21) })];
    expect(boardAfter(...warned)).toMatchObject({ ownerRepId: 'rep-2', deadline: at(21), clockId: 'c2' });
  });

  it('removes the lead on the owner\'s first owned touch, but not on a touch that is not owned', () => {
    const base = [leadCreated(LEAD, at(0)), leadAssigned(LEAD, at(1), 'rep-1')];

    expect(boardAfter(...base, leadTouched(LEAD, at(2), 'rep-1', { automated: true }))).not.toBeNull();
    expect(boardAfter(...base, leadTouched(LEAD, at(2), 'rep-7'))).not.toBeNull();
    expect(boardAfter(...base, leadTouched(LEAD, at(2), 'rep-1'))).toBeNull();
  });

  it('removes the lead when it is rejected, recycled or suppressed', () => {
    const base = [leadCreated(LEAD, at(0)), leadAssigned(LEAD, at(1), 'rep-1')];

    expect(boardAfter(...base, salDecided(LEAD, at(2), 'rejected', 'rep-1', 'other', 'spam'))).toBeNull();
    expect(boardAfter(...base, leadRecycled(LEAD, at(2), 'rep-1'))).toBeNull();
    expect(boardAfter(...base, leadSuppressed(LEAD, at(2)))).toBeNull();
  });

  it('puts a re-qualified lead back on the board when it is assigned again', () => {
    const stream = [
      leadCreated(LEAD, at(0)),
      leadAssigned(LEAD, at(1), 'rep-1'),
      leadTouched(LEAD, at(2), 'rep-1'),
      leadRecycled(LEAD, at(100), 'rep-1'),
      leadRequalified(LEAD, at(5000)),
    ];
    expect(boardAfter(...stream)).toBeNull();
    expect(boardAfter(...stream, leadAssigned(LEAD, at(5001), 'rep-3', { reason: 'requalified' }))).toMatchObject({ ownerRepId: 'rep-3', assignedAt: at(5001) });
  });

  it('does not bring a lead back when a late duplicate of its assignment arrives after the first touch', () => {
    const assigned = leadAssigned(LEAD, at(1), 'rep-1');
    let lead: LeadRow | null = null;
    const boards = [leadCreated(LEAD, at(0)), assigned, leadTouched(LEAD, at(2), 'rep-1'), assigned].map((e) => {
      lead = evolveLeadRow(lead, e);
      return awaitingFirstTouchRowOf(lead) === null ? 'absent' : 'present';
    });

    expect(boards).toEqual(['absent', 'present', 'absent', 'absent']);
  });
});

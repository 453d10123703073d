import fc from 'fast-check';
import { decideAssignLead, type AssignLeadCommand } from './assign-lead.decider';
import type { LeadAttributes, LeadRoutingState, RoutingEnv, RoutingState } from '../domain/routing-state.types';
import { setLead } from '../domain/routing-state.util';
import { teamShiftPort } from '../route-event/team-shift.port';
import { applied, type Changes } from '../testing/routing.harness';
import {
  NOW,
  assignedData,
  emeaLead,
  env,
  lead,
  minutesAfter,
  minutesBefore,
  offShift, onShiftOnly,
  pool,
  queuedData,
  rep,
  testPolicy,
  view,
} from '../testing/routing.fixture';

/** The decision folded into the state (with the lead in it): what changed. */
function changesOf(cmd: AssignLeadCommand, state: RoutingState, e: RoutingEnv = env()): Changes & { state: RoutingState } {
  const r = applied(setLead(state, cmd.lead), decideAssignLead(cmd, state, e), e);
  return { ...r.changes, state: r.state };
}

function newLead(attributes: Partial<LeadAttributes> = {}, over: Partial<LeadRoutingState> = {}): AssignLeadCommand {
  return { lead: lead({ attributes: { ...emeaLead, ...attributes }, ...over }), reason: 'rule', sameContact: [] };
}

describe('assign lead: rules pick the pool', () => {
  it.each([
    ['the VIP flag', { vip: true }, 'vip', 'vip'],
    ['segment and intent tier together', { segment: 'enterprise', intentTier: 'hot' }, 'enterprise-hot', 'vip'],
    ['the source', { source: 'partner' }, 'partners', 'solo'],
    ['the territory', { territory: 'emea' }, 'emea', 'emea'],
    ['a territory in a list', { territory: 'latam' }, 'amer', 'amer'],
  ])('matches on %s', (_what, attributes, ruleId, poolId) => {
    const data = assignedData(decideAssignLead(newLead(attributes), view(), env()));
    expect(data).toMatchObject({ ruleId, poolId, reason: 'rule' });
  });

  it('lets the first matching rule win when several match', () => {
    const data = assignedData(decideAssignLead(newLead({ vip: true, territory: 'latam' }), view(), env()));
    expect(data).toMatchObject({ ruleId: 'vip', poolId: 'vip' });
  });

  it('uses the default pool with no rule when nothing matches', () => {
    const data = assignedData(decideAssignLead(newLead({ territory: 'apac' }), view(), env()));
    expect(data).toMatchObject({ ruleId: null, poolId: 'emea', reason: 'rule' });
  });

  it('says who, which team, which manager and which policy version', () => {
    const d = decideAssignLead(newLead(), view([], [pool('emea', 'ava')]), env());
    expect(assignedData(d)).toEqual({
      repId: 'ben',
      teamId: 'emea-sdr',
      poolId: 'emea',
      ruleId: 'emea',
      reason: 'rule',
      reassignment: false,
      previousRepId: null,
      reassignmentCause: null,
      skipped: [],
      managerId: 'mgr-ben',
      policyVersion: 'test-1',
    });
    const c = changesOf(newLead(), view([], [pool('emea', 'ava')]));
    expect(c.capacity).toEqual([{ repId: 'ben', leadId: 'lead-1', delta: 1 }]);
    expect(c.leads[0]).toMatchObject({ ownerRepId: 'ben', poolId: 'emea', ownerHistory: [{ repId: 'ben', assignedAt: NOW, reason: 'rule' }] });
  });
});

describe('assign lead: round robin inside the pool', () => {
  it('starts with the first rep when the pool has no pointer yet, and moves the pointer to them', () => {
    const d = decideAssignLead(newLead(), view(), env());
    expect(assignedData(d).repId).toBe('ava');
    expect(changesOf(newLead(), view()).pools).toEqual([{ poolId: 'emea', lastAssignedRepId: 'ava', lastAssigned: { at: NOW, eventId: expect.any(String), causeId: expect.any(String) } }]);
  });

  it('wraps around after the last rep', () => {
    const d = decideAssignLead(newLead(), view([], [pool('emea', 'cai')]), env());
    expect(assignedData(d).repId).toBe('ava');
  });

  it('restarts at the top when the pointer names a rep who left the pool', () => {
    const d = decideAssignLead(newLead(), view([], [pool('emea', 'zed')]), env());
    expect(assignedData(d).repId).toBe('ava');
  });

  it('keeps counts within one of each other over many leads', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), (leads) => {
        let state: RoutingState = view();
        const counts = new Map<string, number>();
        for (let i = 0; i < leads; i++) {
          // Touched right away (not awaiting a first touch), so capacity never gets in the way of the rotation.
          const cmd = newLead({}, { leadId: `lead-${i}`, awaitingFirstTouch: false });
          // Each lead decided at its own time: the pointer keeps the pick decided last.
          const at = env({ now: minutesAfter(NOW, i) });
          const repId = assignedData(decideAssignLead(cmd, state, at)).repId;
          counts.set(repId, (counts.get(repId) ?? 0) + 1);
          state = changesOf(cmd, state, at).state;
        }
        const values = ['ava', 'ben', 'cai'].map((r) => counts.get(r) ?? 0);
        expect(Math.max(...values) - Math.min(...values)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('gives a skipped rep no catch-up: the rotation continues after whoever took the lead', () => {
    const first = decideAssignLead(newLead(), view([rep('ava', { available: false })]), env());
    expect(assignedData(first).repId).toBe('ben');
    const afterFirst = changesOf(newLead(), view([rep('ava', { available: false })])).state;
    const second = decideAssignLead(newLead({}, { leadId: 'lead-2' }), { ...afterFirst, reps: view().reps }, env());
    expect(assignedData(second).repId).toBe('cai');
  });
});

describe('assign lead: skip reasons', () => {
  const pto = { from: minutesBefore(NOW, 60), to: minutesAfter(NOW, 60) };

  it.each([
    ['off shift', view(), offShift('ava'), 'off_shift'],
    ['on PTO now', view([rep('ava', { pto: [pto] })]), offShift(), 'pto'],
    ['marked unavailable', view([rep('ava', { available: false })]), offShift(), 'unavailable'],
    ['out of rotation', view([rep('ava', { inRotation: false })]), offShift(), 'out_of_rotation'],
    ['at capacity (open awaiting first touch = cap)', view([rep('ava', { openAwaitingFirstTouch: 2 })]), offShift(), 'at_capacity'],
  ] as const)('skips a rep who is %s and says so', (_what, state, isOnShift, reason) => {
    const data = assignedData(decideAssignLead(newLead(), state, env({ isOnShift })));
    expect(data.repId).toBe('ben');
    expect(data.skipped).toEqual([{ repId: 'ava', reason }]);
  });

  it('does not skip a rep whose PTO ends exactly now (intervals are half-open)', () => {
    const ended = { from: minutesBefore(NOW, 60), to: NOW };
    expect(assignedData(decideAssignLead(newLead(), view([rep('ava', { pto: [ended] })]), env())).repId).toBe('ava');
  });

  it('does not skip a rep below capacity', () => {
    expect(assignedData(decideAssignLead(newLead(), view([rep('ava', { openAwaitingFirstTouch: 1 })]), env())).repId).toBe('ava');
  });

  it('treats a rep with a shift override running now as on shift', () => {
    const override = { from: minutesBefore(NOW, 1), to: minutesAfter(NOW, 60) };
    const data = assignedData(decideAssignLead(newLead(), view([rep('ava', { shiftOverride: override })]), env({ isOnShift: offShift('ava') })));
    expect(data.repId).toBe('ava');
  });

  it('asks the calendar port with the rep, the team calendar and now', () => {
    const asked: string[] = [];
    decideAssignLead(newLead({ source: 'partner' }), view(), env({ isOnShift: (r, c, t) => (asked.push(`${r}/${c}/${t}`), true) }));
    expect([...new Set(asked)]).toEqual([`sam/night/${NOW}`]);
  });

  it('skips an account owner the policy no longer knows as unknown_rep', () => {
    const d = decideAssignLead(newLead({}, { accountDomain: 'acme.test' }), view([], [], { 'acme.test': 'ghost' }), env());
    expect(assignedData(d).skipped).toEqual([{ repId: 'ghost', reason: 'unknown_rep' }]);
  });
});

describe('assign lead: overflow and the unassigned queue', () => {
  it('overflows to the backup pool when the whole pool is skipped', () => {
    const d = decideAssignLead(newLead(), view([rep('ben', { available: false })]), env({ isOnShift: offShift('ava', 'cai') }));
    expect(assignedData(d)).toMatchObject({
      repId: 'dev',
      poolId: 'amer',
      ruleId: 'emea',
      reason: 'overflow',
      skipped: [
        { repId: 'ava', reason: 'off_shift' },
        { repId: 'ben', reason: 'unavailable' },
        { repId: 'cai', reason: 'off_shift' },
      ],
    });
    expect(changesOf(newLead(), view([rep('ben', { available: false })]), env({ isOnShift: offShift('ava', 'cai') })).pools).toEqual([{ poolId: 'amer', lastAssignedRepId: 'dev', lastAssigned: { at: NOW, eventId: expect.any(String), causeId: expect.any(String) } }]);
  });

  it('follows backups of backups (vip → emea → amer)', () => {
    const d = decideAssignLead(newLead({ vip: true }), view(), env(onShiftOnly(offShift('fay', 'gus', 'ava', 'ben', 'cai'))));
    expect(assignedData(d)).toMatchObject({ repId: 'dev', poolId: 'amer', reason: 'overflow' });
  });

  it('queues the lead with every skipped rep when the backup chain loops back with nobody free', () => {
    const d = decideAssignLead(newLead(), view(), env(onShiftOnly(() => false)));
    const data = queuedData(d);
    expect(data.poolId).toBe('emea');
    expect(data.ruleId).toBe('emea');
    expect(data.cause).toContain('emea → amer');
    expect(data.previousRepId).toBeNull();
    expect(data.skipped.map((s) => s.repId)).toEqual(['ava', 'ben', 'cai', 'dev', 'eli']);
    const c = changesOf(newLead(), view(), env(onShiftOnly(() => false)));
    expect(c.queueAdded).toEqual([expect.objectContaining({ queuedAt: NOW, excludeRepIds: [], reassignmentCause: null })]);
    expect(c.leads[0]).toMatchObject({ ownerRepId: null, poolId: 'emea' });
    expect(c.capacity).toEqual([]);
  });

  it('queues a lead of a pool without a backup when its only rep is skipped', () => {
    const data = queuedData(decideAssignLead(newLead({ source: 'partner' }), view(), env(onShiftOnly(offShift('sam')))));
    expect(data).toMatchObject({ poolId: 'solo', skipped: [{ repId: 'sam', reason: 'off_shift' }] });
  });
});

describe('assign lead: after hours (nobody of the pool on shift)', () => {
  const everyoneOff = () => false;

  it('gives the lead at once to the pool\'s next rep by round robin, not asking for a shift', () => {
    const d = decideAssignLead(newLead(), view([], [pool('emea', 'ava')]), env({ isOnShift: everyoneOff }));
    expect(assignedData(d)).toMatchObject({ repId: 'ben', poolId: 'emea', reason: 'rule', skipped: [] });
  });

  it('still skips PTO, unavailability, rotation removal and capacity', () => {
    const pto = { from: minutesBefore(NOW, 60), to: minutesAfter(NOW, 60) };
    const reps = [rep('ava', { pto: [pto] }), rep('ben', { inRotation: false }), rep('cai', { openAwaitingFirstTouch: 2 })];
    const d = decideAssignLead(newLead(), view(reps), env({ isOnShift: everyoneOff }));
    expect(assignedData(d)).toMatchObject({
      repId: 'dev',
      poolId: 'amer',
      reason: 'overflow',
      skipped: [
        { repId: 'ava', reason: 'pto' },
        { repId: 'ben', reason: 'out_of_rotation' },
        { repId: 'cai', reason: 'at_capacity' },
      ],
    });
  });

  it('gives an account owner off shift the lead at once when the lead\'s pool is after hours', () => {
    const d = decideAssignLead(newLead({}, { accountDomain: 'acme.test' }), view([], [], { 'acme.test': 'cai' }), env({ isOnShift: everyoneOff }));
    expect(assignedData(d)).toMatchObject({ repId: 'cai', reason: 'account_owner', skipped: [] });
  });

  it('keeps the shift check while someone of the pool is on shift (the on-shift rep takes it)', () => {
    const d = decideAssignLead(newLead(), view(), env({ isOnShift: offShift('ava', 'ben') }));
    expect(assignedData(d)).toMatchObject({ repId: 'cai', skipped: [{ repId: 'ava', reason: 'off_shift' }, { repId: 'ben', reason: 'off_shift' }] });
  });

  it('counts a rep with a shift override as on shift: the pool is not after hours', () => {
    const override = { from: minutesBefore(NOW, 1), to: minutesAfter(NOW, 60) };
    const d = decideAssignLead(newLead(), view([rep('cai', { shiftOverride: override })]), env({ isOnShift: everyoneOff }));
    expect(assignedData(d)).toMatchObject({ repId: 'cai', skipped: [{ repId: 'ava', reason: 'off_shift' }, { repId: 'ben', reason: 'off_shift' }] });
  });

  it('assigns a lead arriving one minute before the window opens at once, like one arriving at the opening', () => {
    // The night team's calendar covers Sundays (UTC): Saturday 23:59 is after hours, Sunday 00:00 is covered.
    const port = teamShiftPort(testPolicy());
    const partnerLead = newLead({ source: 'partner' });
    const before = decideAssignLead(partnerLead, view(), env({ now: '2026-11-28T23:59:00.000Z', isOnShift: port }));
    const atOpening = decideAssignLead(partnerLead, view(), env({ now: '2026-11-29T00:00:00.000Z', isOnShift: port }));
    expect(assignedData(before)).toMatchObject({ repId: 'sam', poolId: 'solo', reason: 'rule', skipped: [] });
    expect(assignedData(atOpening)).toMatchObject({ repId: 'sam', poolId: 'solo', reason: 'rule', skipped: [] });
  });

  it('overflows or queues instead under routing.afterHours: on_shift_only', () => {
    const port = teamShiftPort(testPolicy());
    const d = decideAssignLead(newLead({ source: 'partner' }), view(), env({ ...onShiftOnly(port), now: '2026-11-28T23:59:00.000Z' }));
    expect(queuedData(d)).toMatchObject({ poolId: 'solo', skipped: [{ repId: 'sam', reason: 'off_shift' }] });
  });
});

describe('assign lead: account owner', () => {
  const acme = (over: Partial<LeadRoutingState> = {}) => newLead({}, { accountDomain: 'acme.test', ...over });

  it('gives the lead to the policy account owner, whatever pool the rules pick', () => {
    const d = decideAssignLead(acme(), view(), env({ policy: testPolicy({ accountOwners: { 'acme.test': 'eli' } }) }));
    expect(assignedData(d)).toMatchObject({ repId: 'eli', reason: 'account_owner', poolId: 'emea', teamId: 'amer-sdr', managerId: 'mgr-amer' });
    expect(changesOf(acme(), view(), env({ policy: testPolicy({ accountOwners: { 'acme.test': 'eli' } }) })).pools).toEqual([]);
  });

  it('gives the lead to a learned account owner', () => {
    expect(assignedData(decideAssignLead(acme(), view([], [], { 'acme.test': 'cai' }), env()))).toMatchObject({ repId: 'cai', reason: 'account_owner' });
  });

  it('prefers the policy owner over a learned one', () => {
    const d = decideAssignLead(acme(), view([], [], { 'acme.test': 'cai' }), env({ policy: testPolicy({ accountOwners: { 'acme.test': 'eli' } }) }));
    expect(assignedData(d).repId).toBe('eli');
  });

  it('ignores capacity for the account owner: the relationship wins', () => {
    const d = decideAssignLead(acme(), view([rep('cai', { openAwaitingFirstTouch: 2 })], [], { 'acme.test': 'cai' }), env());
    expect(assignedData(d).repId).toBe('cai');
  });

  it('does not bypass rotation removal: an account owner out of rotation is skipped and the pool\'s round robin decides', () => {
    const d = decideAssignLead(acme(), view([rep('cai', { inRotation: false })], [pool('emea', 'ava')], { 'acme.test': 'cai' }), env());
    expect(assignedData(d)).toMatchObject({ repId: 'ben', reason: 'rule', skipped: [{ repId: 'cai', reason: 'out_of_rotation' }] });
  });

  it('does not bypass rotation removal for a policy account owner either', () => {
    const d = decideAssignLead(acme(), view([rep('eli', { inRotation: false })]), env({ policy: testPolicy({ accountOwners: { 'acme.test': 'eli' } }) }));
    expect(assignedData(d)).toMatchObject({ repId: 'ava', reason: 'rule', skipped: [{ repId: 'eli', reason: 'out_of_rotation' }] });
  });

  it('falls back to round robin when the owner is away, recording why', () => {
    const d = decideAssignLead(acme(), view([], [], { 'acme.test': 'cai' }), env({ isOnShift: offShift('cai') }));
    expect(assignedData(d)).toMatchObject({ repId: 'ava', reason: 'rule', skipped: [{ repId: 'cai', reason: 'off_shift' }] });
    expect(changesOf(acme(), view([], [], { 'acme.test': 'cai' }), env({ isOnShift: offShift('cai') })).accountOwners).toEqual([]);
  });

  it('learns the first rep who gets a lead of a company without an owner', () => {
    expect(changesOf(acme(), view()).accountOwners).toEqual([{ accountDomain: 'acme.test', repId: 'ava' }]);
  });
});

describe('assign lead: duplicates within the window', () => {
  const sameContact = (minutesAgo: number, ownerRepId: string | null = 'cai') => [
    { leadId: 'lead-0', createdAt: minutesBefore(NOW, minutesAgo), ownerRepId },
  ];

  it('gives the same contact inside the window to its current owner', () => {
    const d = decideAssignLead({ ...newLead(), sameContact: sameContact(59) }, view(), env());
    expect(assignedData(d)).toMatchObject({ repId: 'cai', reason: 'duplicate' });
  });

  it('routes normally once the earlier lead is exactly the window old (window is (now − w, now])', () => {
    expect(assignedData(decideAssignLead({ ...newLead(), sameContact: sameContact(60) }, view(), env())).reason).toBe('rule');
  });

  it('routes normally when the earlier lead is outside the window', () => {
    expect(assignedData(decideAssignLead({ ...newLead(), sameContact: sameContact(24 * 60) }, view(), env())).reason).toBe('rule');
  });

  it('uses the most recent owned lead of the contact', () => {
    const leads = [
      { leadId: 'a', createdAt: minutesBefore(NOW, 50), ownerRepId: 'ben' },
      { leadId: 'b', createdAt: minutesBefore(NOW, 10), ownerRepId: 'eli' },
      { leadId: 'c', createdAt: minutesBefore(NOW, 5), ownerRepId: null },
    ];
    expect(assignedData(decideAssignLead({ ...newLead(), sameContact: leads }, view(), env())).repId).toBe('eli');
  });

  it('does not bypass rotation removal: the contact\'s owner out of rotation is skipped, then the account owner, then round robin', () => {
    const cmd = { ...newLead({}, { accountDomain: 'acme.test' }), sameContact: sameContact(5) };
    const both = decideAssignLead(cmd, view([rep('cai', { inRotation: false })], [], { 'acme.test': 'eli' }), env());
    expect(assignedData(both)).toMatchObject({ repId: 'eli', reason: 'account_owner', skipped: [{ repId: 'cai', reason: 'out_of_rotation' }] });
    const roundRobin = decideAssignLead({ ...newLead(), sameContact: sameContact(5) }, view([rep('cai', { inRotation: false })]), env());
    expect(assignedData(roundRobin)).toMatchObject({ repId: 'ava', reason: 'rule', skipped: [{ repId: 'cai', reason: 'out_of_rotation' }] });
  });

  it('wins over the account owner', () => {
    const cmd = { ...newLead({}, { accountDomain: 'acme.test' }), sameContact: sameContact(5) };
    expect(assignedData(decideAssignLead(cmd, view([], [], { 'acme.test': 'eli' }), env())).repId).toBe('cai');
  });

  it('falls through to the account owner when the current owner is on PTO', () => {
    const pto = { from: minutesBefore(NOW, 60), to: minutesAfter(NOW, 60) };
    const cmd = { ...newLead({}, { accountDomain: 'acme.test' }), sameContact: sameContact(5) };
    const data = assignedData(decideAssignLead(cmd, view([rep('cai', { pto: [pto] })], [], { 'acme.test': 'eli' }), env()));
    expect(data).toMatchObject({ repId: 'eli', reason: 'account_owner', skipped: [{ repId: 'cai', reason: 'pto' }] });
  });
});

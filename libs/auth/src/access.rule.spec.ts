import type { Policy } from '@lead-sla/policy';
import { decideAccess, type Action } from './access.rule';
import type { Principal } from './principal';

// The table reads only the organisation (teams, reps and their managers): the rest of a policy does not matter here.
const policy = {
  version: 'access-table',
  teams: [
    { id: 'emea', managerId: 'mgr-emea', calendarId: 'c' },
    { id: 'amer', managerId: 'mgr-amer', calendarId: 'c' },
  ],
  reps: [
    { id: 'ava', teamId: 'emea', capacity: 5 },
    { id: 'ben', teamId: 'emea', capacity: 5, managerId: 'mgr-coach' },
    { id: 'dev', teamId: 'amer', capacity: 5 },
  ],
  directory: [{ id: 'root', email: 'root@example.com', admin: true }],
} as unknown as Policy;

const person = (id: string, role: 'rep' | 'manager' | 'admin'): Principal => ({ kind: 'person', id, role });
const key = (...scopes: string[]): Principal => ({ kind: 'api_key', id: `key-${scopes.join('-') || 'none'}`, scopes });
const ava = person('ava', 'rep');
const ben = person('ben', 'rep');
const dev = person('dev', 'rep');
const mgrEmea = person('mgr-emea', 'manager');
const mgrAmer = person('mgr-amer', 'manager');
const coach = person('mgr-coach', 'manager');
const admin = person('root', 'admin');
const demo: Principal = { kind: 'demo', id: 'demo' };

type Row = [string, Action, Principal[], Principal[]];
const lead = (kind: 'lead.dispose' | 'lead.accept' | 'lead.reject' | 'lead.read', ownerRepId: string | null): Action => ({ kind, ownerRepId });

// [row, action, allowed, refused] — the table of issue #12 and docs/security.md.
const table: Row[] = [
  ...(['lead.dispose', 'lead.accept', 'lead.reject'] as const).map((k): Row => [
    `${k}: the owner, the owner's manager(s) or an admin`,
    lead(k, 'ben'),
    [ben, mgrEmea, coach, admin, key('admin'), demo],
    [ava, mgrAmer, key('ingest'), key('read'), key()],
  ]),
  ['lead.dispose on a lead without owner: only an admin', lead('lead.dispose', null), [admin, key('admin')], [ava, mgrEmea]],
  ['lead.read: the owner, their manager, an admin, a read key', lead('lead.read', 'ava'), [ava, mgrEmea, admin, key('read')], [ben, mgrAmer, coach, key('ingest')]],
  ['lead.reassign: the owner\'s manager(s) or an admin, never the owner', { kind: 'lead.reassign', ownerRepId: 'ben', toRepId: 'dev' }, [mgrEmea, coach, admin, key('admin'), demo], [ben, ava, mgrAmer, key('ingest'), key('read')]],
  ['lead.reassign of a queued lead: the chosen rep\'s manager or an admin', { kind: 'lead.reassign', ownerRepId: null, toRepId: 'dev' }, [mgrAmer, admin], [mgrEmea, dev, key('read')]],
  ['rep.reinstate: the rep\'s manager or an admin', { kind: 'rep.reinstate', repId: 'ben' }, [mgrEmea, coach, admin, key('admin')], [ben, ava, mgrAmer, key('ingest'), key('read')]],
  ['rep.availability: the rep, their manager, an admin, an ingest key', { kind: 'rep.availability', repId: 'ava' }, [ava, mgrEmea, admin, key('ingest'), key('admin')], [ben, mgrAmer, coach, key('read')]],
  ['reports.read of every team: admins and read keys', { kind: 'reports.read' }, [admin, key('read'), demo], [mgrEmea, ava, key('ingest')]],
  ['reports.read of a team: its manager', { kind: 'reports.read', teamId: 'emea' }, [mgrEmea, coach, admin, key('read')], [mgrAmer, ava]],
  ['reports.read of a rep: the rep and their manager', { kind: 'reports.read', repId: 'ava' }, [ava, mgrEmea, admin], [ben, mgrAmer, coach]],
  ['facts.publish: keys with the ingest scope', { kind: 'facts.publish' }, [key('ingest'), key('admin')], [key('read'), mgrEmea, ava, admin]],
  ['keys.manage: keys with the admin scope', { kind: 'keys.manage' }, [key('admin')], [key('ingest'), key('read'), mgrEmea]],
  ['policy.publish: admins only', { kind: 'policy.publish' }, [admin, key('admin'), demo], [mgrEmea, coach, ava, key('read'), key('ingest')]],
  ['policy.simulate (a what-if): admins only', { kind: 'policy.simulate' }, [admin, key('admin'), demo], [mgrEmea, coach, ava, key('read'), key('ingest')]],
  ['policy.read: managers, admins and read keys', { kind: 'policy.read' }, [mgrEmea, mgrAmer, admin, key('read'), demo], [ava, ben, key('ingest')]],
];

describe('the authorization table', () => {
  describe.each(table)('%s', (_name, action, allowed, refused) => {
    it.each(allowed.map((p) => [JSON.stringify(p), p] as const))('allows %s', (_p, principal) => {
      expect(decideAccess(principal, action, policy)).toEqual({ allowed: true });
    });
    it.each(refused.map((p) => [JSON.stringify(p), p] as const))('refuses %s, saying who may', (_p, principal) => {
      const decision = decideAccess(principal, action, policy);
      expect(decision.allowed).toBe(false);
      expect(!decision.allowed && decision.reason).toMatch(/may not/);
    });
  });

  it('names the owner and the managers in a refusal', () => {
    expect(decideAccess(ava, lead('lead.dispose', 'ben'), policy)).toEqual({
      allowed: false,
      reason: 'rep "ava" may not record a disposition on this lead: only its owner "ben", their manager (mgr-coach or mgr-emea) or an admin can',
    });
  });
});

import { notificationPolicy, policyWith } from '../plan-notifications/notification-policy.fixture';
import { isoWeekOf, localInstant, nextDigests } from './digest-schedule.rule';

const at = (iso: string) => new Date(iso).getTime();
const show = (d: ReturnType<typeof nextDigests>) => d.map((x) => `${x.key}@${new Date(x.dueAt).toISOString()}`);

describe('the digest schedule', () => {
  it("plans each team's next daily report (of the day before) and weekly review (of the week before) at its local digest time", () => {
    // Tuesday 1 Dec 2026, 07:00 UTC: 07:00 in London (emea-sdr digests at 08:30), 02:00 in New York (08:00 default).
    expect(show(nextDigests(notificationPolicy, at('2026-12-01T07:00:00.000Z')))).toEqual([
      'missed-sla/emea-sdr/2026-11-30@2026-12-01T08:30:00.000Z',
      'fallback-review/emea-sdr/2026-W49@2026-12-07T08:30:00.000Z',
      'missed-sla/amer-sdr/2026-11-30@2026-12-01T13:00:00.000Z',
      'fallback-review/amer-sdr/2026-W49@2026-12-07T13:00:00.000Z',
      // Each admin with an address: the company-wide review, Mondays 08:00 in their zone (UTC: they run no team).
      'fallback-review/all:sales-ops/2026-W49@2026-12-07T08:00:00.000Z',
      'fallback-review/all:revops-admin/2026-W49@2026-12-07T08:00:00.000Z',
    ]);
  });

  it("plans an admin's review in the admin's own zone", () => {
    const tokyo = policyWith((y) => y.replace('{ id: revops-admin, email: revops@example.com, admin: true }', '{ id: revops-admin, email: revops@example.com, admin: true, timeZone: Asia/Tokyo }'));
    expect(nextDigests(tokyo, at('2026-12-01T07:00:00.000Z')).filter((d) => d.recipientId === 'revops-admin').map((d) => ({ ...d, dueAt: new Date(d.dueAt).toISOString() }))).toEqual([
      { key: 'fallback-review/all:revops-admin/2026-W49', kind: 'fallback-review', teamId: null, recipientId: 'revops-admin', period: '2026-W49', dueAt: '2026-12-06T23:00:00.000Z' },
    ]);
  });

  it('plans the same occurrence until its instant, and at the instant itself, then the next one', () => {
    const before = nextDigests(notificationPolicy, at('2026-12-01T08:29:59.999Z'))[0];
    const exactly = nextDigests(notificationPolicy, at('2026-12-01T08:30:00.000Z'))[0];
    const after = nextDigests(notificationPolicy, at('2026-12-01T08:30:00.001Z'))[0];
    expect([before.key, exactly.key, after.key]).toEqual(['missed-sla/emea-sdr/2026-11-30', 'missed-sla/emea-sdr/2026-11-30', 'missed-sla/emea-sdr/2026-12-01']);
  });

  it('plans the weekly review of a Monday team on the Monday itself before its time', () => {
    expect(show(nextDigests(notificationPolicy, at('2026-12-07T08:00:00.000Z'))).filter((k) => k.startsWith('fallback-review/emea'))).toEqual([
      'fallback-review/emea-sdr/2026-W49@2026-12-07T08:30:00.000Z',
    ]);
  });

  it('keeps to the local time across a DST change (08:30 London is 07:30 UTC in summer)', () => {
    expect(show(nextDigests(notificationPolicy, at('2027-03-28T00:00:00.000Z'))).slice(0, 1)).toEqual(['missed-sla/emea-sdr/2027-03-27@2027-03-28T07:30:00.000Z']);
    expect(localInstant('2027-03-28', '01:30', 'Europe/London')).toBe(at('2027-03-28T01:00:00.000Z')); // skipped wall time: the first that exists
  });

  it('plans nothing for a team with nowhere to send it (no manager contact, no team channel)', () => {
    const bare = policyWith((y) => y.replace(/\n {2}- \{ id: mgr-amer[^\n]*/, '').replace(', email: [amer-sdr@example.com]', ''));
    expect(nextDigests(bare, at('2026-12-01T07:00:00.000Z')).map((d) => d.teamId)).toEqual(['emea-sdr', 'emea-sdr', null, null]);
  });

  it('names ISO weeks as reporting does', () => {
    expect([isoWeekOf('2026-11-30'), isoWeekOf('2027-01-03'), isoWeekOf('2027-01-04')]).toEqual(['2026-W49', '2026-W53', '2027-W01']);
  });
});

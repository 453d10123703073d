import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AccessControl, type Principal } from '@lead-sla/auth';
import { parsePolicy } from '@lead-sla/policy';
import type { PolicyProvider } from '@lead-sla/service-runtime';
import type { ReportingQueries } from '../http/reporting-queries.repository';
import { DigestsController } from './digests.controller';

const policy = parsePolicy(readFileSync(join(__dirname, '../../../../infra/policy/example.policy.yaml'), 'utf8'), 'example.policy.yaml');
const asked: Array<{ from: string; to: string; teams: readonly string[] | null }> = [];
const queries = {
  localDays: async (date: string, teams: ReadonlyArray<{ teamId: string; timeZone: string }>) =>
    teams.map((t) => ({ ...t, from: `${date}T00:00:00.000Z`, to: `${date}T23:59:59.999Z` })),
  digestRows: async (from: string, to: string, teams: readonly string[] | null) => {
    asked.push({ from, to, teams });
    return [];
  },
} as unknown as ReportingQueries;
const sut = new DigestsController(queries, new AccessControl(() => policy), { current: () => policy } as unknown as PolicyProvider);

const person = (id: string, role: 'rep' | 'manager' | 'admin'): Principal => ({ kind: 'person', id, role });
const readKey: Principal = { kind: 'api_key', id: 'notifications', scopes: ['read'] };

describe('the digest endpoints', () => {
  it("give a manager the missed-SLA digest of their own teams, each in the team's zone", async () => {
    const digest = await sut.missedSla(person('mgr-emea', 'manager'), { managerId: 'mgr-emea', date: '2026-12-01' });
    expect(digest).toMatchObject({ kind: 'missed-sla', managerId: 'mgr-emea', date: '2026-12-01', teams: [{ teamId: 'emea-sdr', timeZone: 'Europe/London', breaches: 0 }] });
    expect(asked.at(-1)?.teams).toEqual(['emea-sdr']);
  });

  it("refuse a manager another manager's digest, and a rep any; a read key (notifications) and an admin get every one", async () => {
    await expect(sut.missedSla(person('mgr-amer', 'manager'), { managerId: 'mgr-emea', date: '2026-12-01' })).rejects.toThrow(/may not read team "emea-sdr"/);
    await expect(sut.missedSla(person('ava', 'rep'), { managerId: 'mgr-emea', date: '2026-12-01' })).rejects.toThrow(/may not read team "emea-sdr"/);
    await expect(sut.missedSla(readKey, { managerId: 'mgr-amer', date: '2026-12-01', team: 'amer-sdr' })).resolves.toMatchObject({ teams: [{ teamId: 'amer-sdr', timeZone: 'America/New_York' }] });
    await expect(sut.fallbackReview(person('sales-ops', 'admin'), { week: '2026-W49' })).resolves.toMatchObject({ kind: 'fallback-review', teams: null, from: '2026-11-30T00:00:00.000Z' });
    await expect(sut.fallbackReview(person('mgr-emea', 'manager'), { week: '2026-W49' })).rejects.toThrow(/may not read every team/);
    await expect(sut.fallbackReview(person('mgr-emea', 'manager'), { week: '2026-W49', managerId: 'mgr-emea' })).resolves.toMatchObject({ teams: ['emea-sdr'] });
  });

  it('say which parameter is wrong and what would be right', async () => {
    await expect(sut.missedSla(readKey, { managerId: 'ava', date: '2026-12-01' })).rejects.toThrow(/"ava" runs no team in the policy in force/);
    await expect(sut.missedSla(readKey, { managerId: 'mgr-emea', date: '2026-12-01', team: 'amer-sdr' })).rejects.toThrow(/"amer-sdr" is not one of mgr-emea's teams \(emea-sdr\)/);
    await expect(sut.fallbackReview(readKey, { week: '2026-48' })).rejects.toThrow(/must be an ISO week "YYYY-Www"/);
  });
});

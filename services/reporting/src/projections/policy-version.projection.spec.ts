import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { policyPublishedCopies } from '@lead-sla/messaging';
import { parsePolicy, type Policy } from '@lead-sla/policy';
import { changesOf, evolveReporting, reportingStateOf } from '../project-events/reporting-projections.evolve';

const example = parsePolicy(readFileSync(join(__dirname, '../../../../infra/policy/example.policy.yaml'), 'utf8'), 'example.policy.yaml');
const by = { kind: 'person', id: 'root', role: 'admin' } as const;
const copies = (policy: Policy, publishedAt: string) => policyPublishedCopies({ policy, publishedBy: by, reason: `publish ${policy.version}`, publishedAt: new Date(publishedAt) }, 3).map((c) => c.event);
const v1 = example;
const v2: Policy = { ...example, version: 'v2', reps: example.reps.map((r) => (r.id === 'gus' ? { ...r, capacity: 12 } : r)) };

describe('policy history projection', () => {
  it('makes one row per version from its copies on every partition, with what changed from the version before', () => {
    const state = [...copies(v1, '2026-11-30T09:00:00Z'), ...copies(v2, '2026-11-30T10:00:00Z')].reduce(evolveReporting, reportingStateOf([], []));
    const rows = changesOf(reportingStateOf([], []), state).policyVersions;
    expect(rows.map((r) => [r.version, r.previousVersion, r.summary])).toEqual([
      ['2026-11-24.1', null, 'the first version published on the log (before it, each service ran its policy file)'],
      ['v2', '2026-11-24.1', 'reps: 1 changed (gus)'],
    ]);
    expect(rows[1]).toMatchObject({ publishedAt: '2026-11-30T10:00:00.000Z', publishedBy: by, reason: 'publish v2' });
  });

  it('compares a new version with the newest one stored before the batch, and ignores a late copy of an older one', () => {
    const stored = { version: 'v2', publishedAt: '2026-11-30T10:00:00.000Z', document: v2 as unknown as Record<string, unknown> };
    const before = reportingStateOf([], [], [], stored);
    const v3: Policy = { ...v2, version: 'v3', routing: { ...v2.routing, excludeRecentOwners: 1 } };
    const after = [copies(v1, '2026-11-30T09:00:00Z')[2], copies(v2, '2026-11-30T10:00:00Z')[1], copies(v3, '2026-11-30T11:00:00Z')[0]].reduce(evolveReporting, before);
    expect(changesOf(before, after).policyVersions.map((r) => [r.version, r.previousVersion, r.summary])).toEqual([['v3', 'v2', 'settings: routing.excludeRecentOwners']]);
  });
});

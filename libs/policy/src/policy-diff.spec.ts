import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalPolicyJson, parsePolicy, policyFromDocument, samePolicy } from './parse-policy';
import { diffPolicies } from './policy-diff';

const example = readFileSync(join(__dirname, '../../../infra/policy/example.policy.yaml'), 'utf8');
const v1 = parsePolicy(example, 'example.policy.yaml');
const edited = (edit: (text: string) => string) => parsePolicy(edit(example.replace('version: "2026-11-24.1"', 'version: "2026-11-24.2"')), 'edited.yaml');

describe('policy diff', () => {
  it('finds no change but the version when only the version moved', () => {
    const diff = diffPolicies(v1, edited((t) => t));
    expect(diff).toEqual({ fromVersion: '2026-11-24.1', toVersion: '2026-11-24.2', changes: [], summary: 'no change but the version' });
  });

  it('names an added rep, a removed pool member and a changed capacity by id and path', () => {
    const v2 = edited((t) =>
      t
        .replace('  - { id: gus, name: Gus, teamId: strategic, capacity: 10 }', '  - { id: gus, name: Gus, teamId: strategic, capacity: 12 }\n  - { id: hal, name: Hal, teamId: strategic, capacity: 10 }')
        .replace('reps: [ava, ben, cai], backupPoolId: amer', 'reps: [ava, ben], backupPoolId: amer'),
    );
    const diff = diffPolicies(v1, v2);
    expect(diff.changes).toEqual([
      { kind: 'changed', section: 'reps', id: 'gus', path: 'reps[gus].capacity', before: 10, after: 12 },
      { kind: 'added', section: 'reps', id: 'hal', path: 'reps[hal]', after: { id: 'hal', name: 'Hal', teamId: 'strategic', capacity: 10 } },
      { kind: 'changed', section: 'pools', id: 'emea', path: 'pools[emea].reps', before: ['ava', 'ben', 'cai'], after: ['ava', 'ben'] },
    ]);
    expect(diff.summary).toBe('reps: +1 (hal), 1 changed (gus); pools: 1 changed (emea)');
  });

  it('tells a removed pool, a removed rule and a changed setting outside the lists', () => {
    const v2 = edited((t) =>
      t
        .replace('  - { id: vip, teamId: strategic, reps: [fay, gus], backupPoolId: emea }\n', '')
        .replace('    - { id: vip, when: { vip: true }, pool: vip }\n', '')
        .replace('    - { id: enterprise-hot, when: { segment: enterprise, intentTier: hot }, pool: vip }\n', '')
        .replace('excludeRecentOwners: 3', 'excludeRecentOwners: 2'),
    );
    const diff = diffPolicies(v1, v2);
    expect(diff.changes.map((c) => [c.kind, c.section, c.path])).toEqual([
      ['removed', 'pools', 'pools[vip]'],
      ['removed', 'routing rules', 'routing.rules[vip]'],
      ['removed', 'routing rules', 'routing.rules[enterprise-hot]'],
      ['changed', 'settings', 'routing.excludeRecentOwners'],
    ]);
    expect(diff.summary).toBe('pools: −1 (vip); routing rules: −2 (vip, enterprise-hot); settings: routing.excludeRecentOwners');
  });
});

describe('a policy as published data', () => {
  it('validates again to the same document (what a PolicyPublished carries is what was published)', () => {
    const again = policyFromDocument(JSON.parse(JSON.stringify(v1)), 'PolicyPublished');
    expect(samePolicy(again, v1)).toBe(true);
    expect(again).toEqual(v1);
  });

  it('compares documents whatever order their keys were written in', () => {
    const reordered = Object.fromEntries(Object.entries(v1).reverse()) as typeof v1;
    expect(canonicalPolicyJson(reordered)).toBe(canonicalPolicyJson(v1));
    expect(samePolicy(v1, edited((t) => t))).toBe(false);
  });

  it('names the path of a problem in a JSON document', () => {
    const broken = { ...JSON.parse(JSON.stringify(v1)), routing: { ...v1.routing, defaultPool: 'nowhere' } };
    expect(() => policyFromDocument(broken, 'request body')).toThrow(/invalid policy request body:\n {2}- routing\.defaultPool: unknown pool "nowhere"/);
  });
});

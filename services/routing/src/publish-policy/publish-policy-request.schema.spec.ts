import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy } from '@lead-sla/policy';
import { parsePublishPolicyRequest } from './publish-policy-request.schema';

const yaml = readFileSync(join(__dirname, '../route-event/routing-int.policy.yaml'), 'utf8');
const asJson = JSON.parse(JSON.stringify(parsePolicy(yaml, 'routing-int.policy.yaml')));

describe('a policy publication request', () => {
  it('takes the policy as YAML text or as a JSON document, with the reason', () => {
    const fromYaml = parsePublishPolicyRequest({ document: yaml, reason: 'new pool' }, { reasonRequired: true });
    const fromJson = parsePublishPolicyRequest({ document: asJson, reason: 'new pool' }, { reasonRequired: true });
    expect(fromYaml).toMatchObject({ ok: true, reason: 'new pool' });
    expect(fromJson).toEqual(fromYaml);
  });

  it('names the path of each problem in the document', () => {
    const broken = { ...asJson, routing: { ...asJson.routing, defaultPool: 'nowhere' }, reps: [{ ...asJson.reps[0], capacity: -1 }, ...asJson.reps.slice(1)] };
    const parsed = parsePublishPolicyRequest({ document: broken, reason: 'oops' }, { reasonRequired: true });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problems).toEqual(expect.arrayContaining(['document.routing.defaultPool: unknown pool "nowhere"', expect.stringMatching(/^document\.reps\.0\.capacity: /)]));
  });

  it('says so when the YAML does not parse', () => {
    const parsed = parsePublishPolicyRequest({ document: 'version: [', reason: 'oops' }, { reasonRequired: true });
    expect(!parsed.ok && parsed.problems[0]).toMatch(/^document: YAML syntax: /);
  });

  it('requires a reason to publish but not for a dry-run, and refuses unknown fields', () => {
    expect(parsePublishPolicyRequest({ document: yaml }, { reasonRequired: true })).toEqual({ ok: false, problems: ['body.reason: say why the policy changes (it is kept in the history)'] });
    expect(parsePublishPolicyRequest({ document: yaml }, { reasonRequired: false })).toMatchObject({ ok: true });
    expect(parsePublishPolicyRequest({ document: yaml, reason: 'x', version: '2' }, { reasonRequired: true })).toEqual({
      ok: false,
      problems: ['body: unknown field(s) "version" (allowed: document, reason)'],
    });
    expect(parsePublishPolicyRequest([], { reasonRequired: true })).toEqual({ ok: false, problems: ['body: must be a JSON object like {"document": {…} or "<YAML text>", "reason": "…"}'] });
  });

  it("takes a dry-run's what-if period, and no such period when publishing", () => {
    const period = { from: '2026-11-01', to: '2026-11-30T12:00:00Z', team: 'emea-sdr' };
    expect(parsePublishPolicyRequest({ document: yaml, whatIf: period }, { reasonRequired: false })).toMatchObject({ ok: true, whatIf: period });
    expect(parsePublishPolicyRequest({ document: yaml, whatIf: { from: 'last month', to: '2026-11-30' } }, { reasonRequired: false })).toEqual({
      ok: false,
      problems: ['body.whatIf.from: must be a day (2026-10-01) or an ISO-8601 instant'],
    });
    expect(parsePublishPolicyRequest({ document: yaml, reason: 'x', whatIf: period }, { reasonRequired: true })).toEqual({
      ok: false,
      problems: ['body: unknown field(s) "whatIf" (allowed: document, reason)'],
    });
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { parsePolicy } from '@lead-sla/policy';

// The what-if page's view model, as the browser runs it (view-model.js, a plain script), evaluated in a fresh context.
interface View {
  policyYaml(document: unknown): string;
  whatIfPeriod(nowMs: number, offsetMinutes: number): { from: string; to: string };
  whatIfProblem(status: number, body: { message?: string }): { title: string; detail: string };
}
const sandbox: { LeadSlaView?: View } = {};
runInNewContext(readFileSync(join(__dirname, 'public/view-model.js'), 'utf8'), sandbox);
const view = sandbox.LeadSlaView!;
const workspace = join(__dirname, '../../../..');

describe('the what-if page', () => {
  it.each(['infra/policy/demo.policy.yaml', 'infra/e2e/policies/dashboard-e2e.policy.yaml'])(
    'prefills the policy in force as YAML that validates to the same policy (%s)',
    (file) => {
      // GET /v1/policies?documents=true answers the validated policy as JSON; the textarea shows it as YAML.
      const inForce = parsePolicy(readFileSync(join(workspace, file), 'utf8'), file);
      const document = JSON.parse(JSON.stringify(inForce)) as Record<string, unknown>;
      const yaml = view.policyYaml(document);
      expect(yaml).toMatch(/^version: ".+"\n/m);
      expect(yaml).not.toContain('{"');
      expect(parsePolicy(yaml, 'the page')).toEqual(inForce);
    },
  );

  it('keeps strings that look like times, booleans or numbers strings, and writes empty lists and maps', () => {
    expect(view.policyYaml({ a: '00:00', b: 'yes', c: '1.0', d: [], e: {}, f: [1, 'x'], g: [{ h: null, i: true }], 'j k': 2 })).toBe(
      'a: "00:00"\nb: "yes"\nc: "1.0"\nd: []\ne: {}\nf: [1, "x"]\ng:\n  - h: null\n    i: true\n"j k": 2\n',
    );
  });

  it('proposes the 30 days ending ten minutes ago, in the browser\'s zone', () => {
    const now = Date.parse('2026-11-30T12:00:00.000Z');
    expect(view.whatIfPeriod(now, 0)).toEqual({ from: '2026-10-31T11:50', to: '2026-11-30T11:50' });
    // Europe/Berlin in winter: getTimezoneOffset() is -60.
    expect(view.whatIfPeriod(now, -60)).toEqual({ from: '2026-10-31T12:50', to: '2026-11-30T12:50' });
  });

  it.each([
    [503, 'What-if is not available'],
    [400, 'The candidate policy or the period cannot be used'],
    [409, 'The baseline does not reproduce the log, so there is no comparison'],
    [429, 'A what-if run is already under way: try again when it has finished'],
    [403, 'Only admins can run a what-if'],
    [500, 'The what-if run failed (HTTP 500)'],
  ])('says what went wrong for HTTP %s, with the service\'s message', (status, title) => {
    expect(view.whatIfProblem(status, { message: 'the detail' })).toEqual({ title, detail: 'the detail' });
  });
});

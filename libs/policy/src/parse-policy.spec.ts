import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy, PolicyError } from './parse-policy';

const examplePath = join(__dirname, '../../../infra/policy/example.policy.yaml');
const example = readFileSync(examplePath, 'utf8');

function problemsOf(text: string): readonly string[] {
  try {
    parsePolicy(text, 'broken.yaml');
  } catch (e) {
    if (e instanceof PolicyError) return e.problems;
    throw e;
  }
  throw new Error('expected the policy to be rejected');
}

describe('policy file', () => {
  it('accepts the example policy and fills defaults', () => {
    const policy = parsePolicy(example, examplePath);
    expect(policy.version).toBe('2026-11-24.1');
    expect(policy.routing.rules[2].when.territory).toEqual(['emea']);
    expect(policy.dispositions.codes.find((c) => c.code === 'working')?.outcome).toBe('none');
    expect(policy.clocks.secondTouchChannel).toBe('require');
  });

  it('reads the directory of people who may sign in, and defaults it to nobody', () => {
    expect(parsePolicy(example, examplePath).directory).toContainEqual({ id: 'sales-ops', email: 'sales.ops@example.com', admin: true });
    const withoutDirectory = example.slice(0, example.indexOf('\ndirectory:'));
    expect(parsePolicy(withoutDirectory, 'no-directory.yaml').directory).toEqual([]);
  });

  it('rejects a directory entry that is no rep or manager, has nothing to match, or reuses an email', () => {
    const broken = example.replace('  - { id: ava, email: ava@example.com }', '  - { id: zed, email: zed@example.com }\n  - { id: ben }\n  - { id: cai, email: Sales.Ops@example.com }');
    expect(problemsOf(broken)).toEqual(
      expect.arrayContaining([
        'directory.0.id: "zed" is neither a rep nor a manager in this policy; name one, or set admin: true',
        'directory.1: a directory entry needs an email or a subject to be matched by',
        'directory.4.email: email "sales.ops@example.com" already belongs to "cai": one person, one entry',
      ]),
    );
  });

  it('refuses the old top-level admins list, pointing to the directory (one notion of admin)', () => {
    expect(problemsOf(`${example}\nadmins: [sales-ops]\n`)).toEqual([
      '(document): Unrecognized key: "admins" ("admins" is replaced by the directory: give each admin a `directory` entry with `admin: true`, docs/security.md)',
    ]);
  });

  it('names the file, the path and the problem of a broken reference', () => {
    const broken = example.replace('pool: vip }', 'pool: gold }');
    expect(() => parsePolicy(broken, 'broken.yaml')).toThrow(/invalid policy broken\.yaml/);
    expect(problemsOf(broken)).toContain('routing.rules.0.pool: unknown pool "gold"');
  });

  it('rejects a bad time zone, a bad wall time and a missing field', () => {
    const broken = example
      .replace('timeZone: Europe/London', 'timeZone: Europe/Atlantis')
      .replace('{ day: mon, open: "08:00", close: "18:00" }', '{ day: mon, open: "8am", close: "18:00" }')
      .replace('  defaultPool: emea\n', '');
    const problems = problemsOf(broken);
    expect(problems).toEqual(
      expect.arrayContaining([
        'calendars.0.timeZone: not an IANA time zone (e.g. "Europe/London")',
        'calendars.0.windows.0.open: wall time must be "HH:MM" (24 h)',
        expect.stringMatching(/^routing\.defaultPool: /),
      ]),
    );
  });

  it('accepts per-channel targets on the first-touch clock only', () => {
    const onSecondTouch = example.replace(/second_touch: \{ minutes: 30, warnBeforeMinutes: 5 \}/, 'second_touch: { minutes: 30, warnBeforeMinutes: 5, channelMinutes: { phone: 5 } }');
    expect(problemsOf(onSecondTouch)).toEqual([expect.stringMatching(/channelMinutes: channelMinutes is a first_touch setting only$/)]);
  });

  it('rejects an unknown second-touch channel rule', () => {
    expect(problemsOf(example.replace('secondTouchChannel: require', 'secondTouchChannel: always'))[0]).toMatch(/^clocks\.secondTouchChannel: /);
  });

  it('reports YAML syntax errors', () => {
    expect(problemsOf('version: [1\nteams: ]')[0]).toMatch(/^YAML syntax: /);
  });

  it('rejects a recycling code with no nurture track', () => {
    const broken = example.replace('nurtureTrack: nurture, ', '');
    expect(problemsOf(broken)).toContain('dispositions.codes.3.nurtureTrack: a recycling code needs a nurtureTrack');
  });

  describe('close-out fields (every closing code needs a reason and a next step)', () => {
    const withCode = (code: string) => example.replace('    - { code: duplicate, label: Duplicate, closes: true, outcome: none }', `    - ${code}`);

    it('refuses a closing code that turns a field off without exempting it, naming the way out', () => {
      expect(problemsOf(withCode('{ code: duplicate, closes: true, requiresNextStep: false }'))).toEqual([
        'dispositions.codes.7.requiresNextStep: closing code "duplicate" needs a next step: list "nextStep" in closeOutExempt to waive it',
      ]);
    });

    it('accepts an explicit exemption and refuses one on a code that does not close', () => {
      expect(parsePolicy(withCode('{ code: duplicate, closes: true, closeOutExempt: [nextStep] }'), 'p.yaml').dispositions.codes[7].closeOutExempt).toEqual(['nextStep']);
      expect(problemsOf(withCode('{ code: duplicate, closes: false, closeOutExempt: [reason] }'))).toEqual([
        'dispositions.codes.7.closeOutExempt: code "duplicate" does not close the lead: closeOutExempt applies to closing codes only',
      ]);
    });

    it('refuses a code that both requires and exempts a field', () => {
      expect(problemsOf(withCode('{ code: duplicate, closes: true, requiresReason: true, closeOutExempt: [reason] }'))).toEqual([
        'dispositions.codes.7.requiresReason: code "duplicate" both requires and exempts "reason": keep one',
      ]);
    });
  });

  describe('calendar overrides', () => {
    const withOverrides = (yaml: string) => example.replace('    overrides:\n      - { date: "2026-12-24", windows: [{ open: "08:00", close: "13:00" }] }\n', `    overrides:\n${yaml}\n`);

    it('reads the example policy\'s half-day and extra working day', () => {
      const calendar = parsePolicy(example, examplePath).calendars[0];
      expect(calendar.overrides).toEqual([
        { date: '2026-12-24', windows: [{ open: '08:00', close: '13:00' }] },
        { date: '2027-01-09', windows: [{ open: '10:00', close: '14:00' }] },
      ]);
    });

    it('refuses a window that crosses midnight, a date given twice and a date that is also a holiday', () => {
      expect(problemsOf(withOverrides('      - { date: "2026-12-24", windows: [{ open: "22:00", close: "02:00" }] }'))).toEqual([
        'calendars.0.overrides.0.windows.0: an override window stays within its date: close must be after open (use "24:00" for midnight)',
      ]);
      expect(problemsOf(withOverrides('      - { date: "2027-01-09", windows: [] }'))).toEqual(['calendars.0.overrides.1.date: 2027-01-09 has two overrides: merge their windows into one']);
      expect(problemsOf(withOverrides('      - { date: "2026-12-25", windows: [] }'))).toEqual([
        'calendars.0.overrides.0.date: 2026-12-25 is also a holiday: keep one (an override with no windows closes the date)',
      ]);
    });

    it('accepts "24:00" as the close of an override window', () => {
      expect(() => parsePolicy(withOverrides('      - { date: "2026-12-24", windows: [{ open: "20:00", close: "24:00" }] }'), 'p.yaml')).not.toThrow();
    });
  });

  it('refuses a reassign step on the data-cleanup clock: cleanup never hands the lead to a sales pool', () => {
    const broken = example.replace('data_cleanup: { minutes: 480, warnBeforeMinutes: 60, ladder: [{ afterMinutes: 0, action: escalate_manager }] }', 'data_cleanup: { minutes: 480, ladder: [{ afterMinutes: 0, action: reassign }] }');
    expect(problemsOf(broken)).toEqual([
      'clocks.tiers.0.clocks.data_cleanup.ladder.0.action: data cleanup never reassigns the lead to a sales pool (only the fix returns it): use remind_owner or escalate_manager',
    ]);
  });
});

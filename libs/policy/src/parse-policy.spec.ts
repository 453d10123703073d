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
});

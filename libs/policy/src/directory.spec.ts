import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contactOf, teamContactOf } from './directory';
import { parsePolicy, PolicyError } from './parse-policy';

const examplePath = join(__dirname, '../../../infra/policy/example.policy.yaml');
const example = readFileSync(examplePath, 'utf8');
const policy = parsePolicy(example, examplePath);

function problemsOf(text: string): readonly string[] {
  try {
    parsePolicy(text, 'broken.yaml');
  } catch (e) {
    if (e instanceof PolicyError) return e.problems;
    throw e;
  }
  throw new Error('expected the policy to be rejected');
}

const withEntry = (entry: string) => `${example.trimEnd()}\n  - ${entry}\n`;

describe('the directory: where notifications reach people and teams', () => {
  it("resolves a person's addresses, preferences and zone as written", () => {
    expect(contactOf(policy, 'mgr-emea')).toEqual({
      id: 'mgr-emea', email: 'emea.manager@example.com', slack: 'U0EMEAMGR', timeZone: 'Europe/London', channels: ['slack', 'email'],
      quietHours: { from: '20:00', to: '07:00', escalations: 'deliver' },
    });
    expect(contactOf(policy, 'mgr-amer')?.quietHours).toEqual({ from: '21:00', to: '06:00', escalations: 'hold' });
  });

  it('defaults the channels to every address the person has, and the zone to their team calendar (a manager: the team they run)', () => {
    expect(contactOf(policy, 'ava')).toEqual({ id: 'ava', email: 'ava@example.com', slack: null, timeZone: 'Europe/London', channels: ['email'], quietHours: null });
    expect(contactOf(policy, 'mgr-amer')).toMatchObject({ timeZone: 'America/New_York', channels: ['slack', 'email'] });
    expect(contactOf(policy, 'sales-ops')).toMatchObject({ timeZone: 'UTC', channels: ['email'] });
  });

  it('has no contact for someone without a directory entry', () => {
    expect(contactOf(policy, 'cai')).toBeNull();
  });

  it("resolves a team's channels and digest time, with the documented defaults", () => {
    expect(teamContactOf(policy, 'emea-sdr')).toEqual({
      id: 'emea-sdr', managerId: 'mgr-emea', slack: '#emea-sdr', email: [], timeZone: 'Europe/London', digest: { time: '08:30', weeklyOn: 'mon' },
    });
    expect(teamContactOf(policy, 'amer-sdr')).toMatchObject({ slack: null, email: ['amer-sdr@example.com'], timeZone: 'America/New_York', digest: { time: '08:00', weeklyOn: 'mon' } });
    expect(teamContactOf(policy, 'nowhere')).toBeNull();
  });

  it('names the path of each bad contact field', () => {
    const broken = withEntry('{ id: cai, email: cai@example.com, slack: "@cai", timeZone: Mars/Olympus, notify: { channels: [sms], quietHours: { from: "22:00", to: "22:00" } } }')
      .replace('slack: "#emea-sdr"', 'slack: U0NOTACHANNEL')
      .replace('email: [amer-sdr@example.com]', 'email: [not-an-address]')
      .replace('digest: { time: "08:30", weeklyOn: mon }', 'digest: { time: "8:30", weeklyOn: monday }');
    expect(problemsOf(broken)).toEqual(
      expect.arrayContaining([
        'teams.0.slack: a Slack channel is its id ("C0123ABCD") or "#name" (lower case)',
        'teams.0.digest.time: wall time must be "HH:MM" (24 h)',
        expect.stringMatching(/^teams\.0\.digest\.weeklyOn: /),
        'teams.1.email.0: not an email address',
        'directory.6.slack: a Slack address is a user id ("U0123ABCD"), a channel id ("C0123ABCD") or "#name" (lower case)',
        'directory.6.timeZone: not an IANA time zone (e.g. "Europe/London")',
        expect.stringMatching(/^directory\.6\.notify\.channels\.0: /),
        'directory.6.notify.quietHours.to: quiet hours need from and to to differ (remove quietHours to be notified at any time)',
      ]),
    );
  });

  it('refuses a preferred channel the person has no address for', () => {
    expect(problemsOf(withEntry('{ id: cai, email: cai@example.com, notify: { channels: [slack] } }'))).toEqual([
      'directory.6.notify.channels: "slack" is listed but "cai" has no slack address: add `slack:` to the entry or drop the channel',
    ]);
  });

  it('keeps sign-in entries of before working unchanged', () => {
    expect(policy.directory).toContainEqual({ id: 'ava', email: 'ava@example.com', admin: false });
  });
});

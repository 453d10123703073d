import type { KafkaClient } from '@lead-sla/messaging';
import type { AddressInfo } from 'node:net';
import { loadPolicyFile, parseWhatIfArgs, WhatIfUsageError } from './what-if-command';
import { whatIfServer } from './what-if-server';

describe('the what-if command line', () => {
  it('reads the period as UTC days and defaults the baseline to the versions on the log (the policy file before the first)', () => {
    const args = parseWhatIfArgs(['--policy', 'c.yaml', '--from', '2026-10-01', '--to=2026-11-01', '--team', 'emea-sdr', '--json'], 'in-force.yaml');

    expect(args).toMatchObject({ policyFile: 'c.yaml', baselineFile: null, bootstrapFile: 'in-force.yaml', from: Date.parse('2026-10-01T00:00:00Z'), to: Date.parse('2026-11-01T00:00:00Z'), teamId: 'emea-sdr', json: true, out: null });
    expect(parseWhatIfArgs(['--policy', 'c.yaml', '--baseline', 'mine.yaml', '--from', '2026-10-01', '--to', '2026-11-01'], 'in-force.yaml')).toMatchObject({ baselineFile: 'mine.yaml' });
  });

  it.each([
    [['--from', '2026-10-01', '--to', '2026-11-01'], /--policy is required/],
    [['--policy', 'c.yaml', '--to', '2026-11-01'], /--from is required/],
    [['--policy', 'c.yaml', '--from', 'October', '--to', '2026-11-01'], /--from "October" is not a day/],
    [['--policy', 'c.yaml', '--from', '2026-11-01', '--to', '2026-10-01'], /--to \(2026-10-01\) must come after --from/],
    [['--policy', 'c.yaml', '--frm', '2026-10-01'], /unknown option --frm/],
  ])('refuses %j, saying what is wrong', (argv, message) => {
    expect(() => parseWhatIfArgs(argv, 'in-force.yaml')).toThrow(WhatIfUsageError);
    expect(() => parseWhatIfArgs(argv, 'in-force.yaml')).toThrow(message);
  });

  it('names the file and each problem of a broken policy', () => {
    expect(() => loadPolicyFile(`${__dirname}/what-if-command.spec.ts`, 'candidate')).toThrow(/the candidate policy is broken — invalid policy .*what-if-command.spec.ts/);
    expect(() => loadPolicyFile('/nonexistent/candidate.yaml', 'candidate')).toThrow(/cannot read the candidate policy \/nonexistent\/candidate.yaml/);
  });
});

describe('the what-if admin API', () => {
  const token = 'a-secret-admin-token';
  const server = whatIfServer({ kafka: {} as KafkaClient, bootstrapFile: 'unused.yaml', adminToken: token, writeCandidate: () => '/nonexistent/unused.yaml' });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin/what-if`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (body: unknown, auth = `Bearer ${token}`) => fetch(url, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('refuses a request without the admin token', async () => {
    const res = await post({ policy: 'x' }, 'Bearer wrong');
    expect(res.status).toBe(401);
  });

  it('answers 400 naming the problems of a broken candidate policy', async () => {
    const res = await post({ policy: 'version: "x"\nreps: 3\n', from: '2026-10-01', to: '2026-11-01' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/invalid policy the posted policy:[\s\S]*reps: Invalid input: expected array/);
  });

  it('answers 400 when the policy is missing', async () => {
    const res = await post({ from: '2026-10-01', to: '2026-11-01' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toContain('"policy" must be the candidate policy as YAML text');
  });
});

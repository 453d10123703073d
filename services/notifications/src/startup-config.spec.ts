import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '../../..');

describe('notifications start-up configuration', () => {
  it('refuses to start, naming every bad variable at once (common and its own), before connecting anywhere', () => {
    const r = spawnSync(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'main.ts')], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: { PATH: process.env.PATH, DATABASE_URL: 'mysql://nope', POLICY_FILE: 'infra/policy/example.policy.yaml', NOTIFY_WEBHOOK_URL: 'not a url' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('notifications: invalid configuration');
    expect(r.stderr).toMatch(/KAFKA_BROKERS: .*not set/);
    expect(r.stderr).toMatch(/DATABASE_URL: must start with postgres:\/\//);
    expect(r.stderr).toMatch(/NOTIFY_WEBHOOK_URL: /);
  }, 60_000);
});

import { createServer } from 'node:net';
import { parsePolicy } from '@lead-sla/policy';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultWhatIfPeriod, WhatIfEffectClient, whatIfEffectSettings } from './what-if-effect.client';

const policy = parsePolicy(readFileSync(join(__dirname, '../route-event/routing-int.policy.yaml'), 'utf8'), 'routing-int.policy.yaml');

/** A port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("a dry-run's what-if effect", () => {
  it('replays the 30 days that ended ten minutes ago by default (a deadline due just now may not be logged yet)', () => {
    expect(defaultWhatIfPeriod(new Date('2026-11-30T12:00:00.000Z'))).toEqual({ from: '2026-10-31T11:50:00.000Z', to: '2026-11-30T11:50:00.000Z' });
  });

  it('says how to get the effect when no engine is configured', async () => {
    const client = new WhatIfEffectClient(whatIfEffectSettings({}));
    expect(await client.effectOf(policy, { from: '2026-11-01', to: '2026-11-30' })).toEqual({ status: 'not_configured', message: expect.stringContaining('npm run what-if -- serve') });
  });

  it('reports an engine it cannot reach as a failure naming where it looked, not as an error of the dry-run', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const client = new WhatIfEffectClient(whatIfEffectSettings({ WHAT_IF_URL: url, WHAT_IF_ADMIN_TOKEN: 'secret', WHAT_IF_TIMEOUT_MS: '5000' }));
    const effect = await client.effectOf(policy, { from: '2026-11-01', to: '2026-11-30' });
    expect(effect).toMatchObject({ status: 'failed', httpStatus: null, period: { from: '2026-11-01', to: '2026-11-30' } });
    expect(effect.status === 'failed' && effect.message).toContain(`the what-if engine at ${url} could not be reached`);
  });
});

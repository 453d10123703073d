import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNotificationsConfig } from '../notifications-config';
import type { NotificationPayload } from '../plan-notifications/notification-plan';
import { NotificationChannels } from './notification-channels';
import { WEBHOOK_TOLERANCE_SECONDS } from './webhook-signature.util';

const examplePath = join(__dirname, '../../../../docs/examples/verify-lead-sla-webhook.js');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const example = require(examplePath) as {
  verifyLeadSlaWebhook(o: { secrets: string[]; headers: IncomingHttpHeaders; rawBody: Buffer; nowSeconds?: number }): { ok: boolean; reason?: string; deliveryId?: string };
  TOLERANCE_SECONDS: number;
};

const OLD = 'old-secret-0123456789';
const NEW = 'new-secret-9876543210';
const payload: NotificationPayload = {
  kind: 'sla.breached', eventId: 'e-1', eventType: 'SlaBreached', leadId: 'lead-1', occurredAt: '2026-11-30T10:00:00.000Z',
  recipient: { repId: 'ava', role: 'owner' }, text: 'First touch breached — café ☕', details: { clock: 'first_touch' },
};

/** The platform's real sender posting to a local receiver; returns what the receiver got. */
async function deliver(env: Record<string, string>, nowSeconds: number): Promise<{ headers: IncomingHttpHeaders; rawBody: Buffer }> {
  let received: { headers: IncomingHttpHeaders; rawBody: Buffer } | null = null;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received = { headers: req.headers, rawBody: Buffer.concat(chunks) };
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const channels = new NotificationChannels(loadNotificationsConfig({ NOTIFY_WEBHOOK_URL: url, ...env }), { now: () => new Date(nowSeconds * 1000) });
    expect(await channels.send('webhook', 'delivery-1', payload)).toEqual({ ok: true });
  } finally {
    await new Promise((r) => server.close(r));
  }
  return received!;
}

describe('the receivers\' example verifier (docs/examples/verify-lead-sla-webhook.js) on real deliveries', () => {
  const now = 1_790_000_000;

  it('accepts a delivery signed with the secret the receiver holds, and names its delivery id', async () => {
    const got = await deliver({ NOTIFY_WEBHOOK_SECRET: NEW }, now);
    expect(example.verifyLeadSlaWebhook({ secrets: [NEW], headers: got.headers, rawBody: got.rawBody, nowSeconds: now + 5 })).toEqual({ ok: true, deliveryId: 'delivery-1' });
    expect(example.verifyLeadSlaWebhook({ secrets: [OLD], headers: got.headers, rawBody: got.rawBody, nowSeconds: now + 5 })).toEqual({ ok: false, reason: 'no signature matches a secret you hold' });
  });

  it('during a rotation both secrets sign, so receivers holding the old or the new one both verify', async () => {
    const got = await deliver({ NOTIFY_WEBHOOK_SECRET: NEW, NOTIFY_WEBHOOK_PREVIOUS_SECRET: OLD }, now);
    expect(String(got.headers['x-leadsla-signature']).split(', ')).toHaveLength(2);
    for (const secrets of [[OLD], [NEW], [NEW, OLD]]) {
      expect({ secrets, ...example.verifyLeadSlaWebhook({ secrets, headers: got.headers, rawBody: got.rawBody, nowSeconds: now }) }).toEqual({ secrets, ok: true, deliveryId: 'delivery-1' });
    }
  });

  it('rejects a changed body, a replay outside the tolerance, and a missing timestamp', async () => {
    const got = await deliver({ NOTIFY_WEBHOOK_SECRET: NEW }, now);
    const tampered = Buffer.from(got.rawBody.toString('utf8').replace('lead-1', 'lead-2'));
    expect(example.verifyLeadSlaWebhook({ secrets: [NEW], headers: got.headers, rawBody: tampered, nowSeconds: now }).ok).toBe(false);
    expect(example.verifyLeadSlaWebhook({ secrets: [NEW], headers: got.headers, rawBody: got.rawBody, nowSeconds: now + WEBHOOK_TOLERANCE_SECONDS }).ok).toBe(true);
    expect(example.verifyLeadSlaWebhook({ secrets: [NEW], headers: got.headers, rawBody: got.rawBody, nowSeconds: now + WEBHOOK_TOLERANCE_SECONDS + 1 }))
      .toEqual({ ok: false, reason: 'timestamp outside the tolerance (a replay, or a clock far off)' });
    const { ['x-leadsla-timestamp']: _dropped, ...withoutTimestamp } = got.headers;
    expect(example.verifyLeadSlaWebhook({ secrets: [NEW], headers: withoutTimestamp, rawBody: got.rawBody, nowSeconds: now }).reason).toBe('missing or malformed X-LeadSla-Timestamp');
  });

  it('uses the tolerance the platform documents, and docs/operations.md shows exactly this file', () => {
    expect(example.TOLERANCE_SECONDS).toBe(WEBHOOK_TOLERANCE_SECONDS);
    expect(readFileSync(join(__dirname, '../../../../docs/operations.md'), 'utf8')).toContain(readFileSync(examplePath, 'utf8'));
  });
});

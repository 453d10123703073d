import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger } from '@lead-sla/platform';
import { parsePolicy } from '@lead-sla/policy';
import type { PolicyProvider, ServiceMetrics } from '@lead-sla/service-runtime';
import { testDatabase, waitFor, type TestDatabase } from '@lead-sla/testing';
import { DeliveriesRepository } from '../deliver-notifications/deliveries.repository';
import { DeliveryScheduler } from '../deliver-notifications/delivery.scheduler';
import { NotificationChannels } from '../deliver-notifications/notification-channels';
import { notificationsMigrations } from '../migrations';
import { loadNotificationsConfig } from '../notifications-config';
import { localSlack, localSmtpServer } from '../testing/local-receivers';
import type { MissedSlaDigest } from './digest-content';
import { DigestScheduler } from './digest.scheduler';
import { DigestsRepository } from './digests.repository';
import { ReportingDigestsClient } from './reporting-digests.client';

const policy = parsePolicy(readFileSync(join(__dirname, '../../../../infra/policy/example.policy.yaml'), 'utf8'), 'example.policy.yaml');
const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as Logger;
const noMetrics = { counter: () => ({ inc: () => undefined }), gauge: () => undefined } as unknown as ServiceMetrics;

const missedSla: MissedSlaDigest = {
  kind: 'missed-sla', managerId: 'mgr-emea', date: '2026-11-30',
  teams: [{
    teamId: 'emea-sdr', timeZone: 'Europe/London', from: '2026-11-30T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z', breaches: 3, leads: 2, escalationSteps: 1,
    byClock: [{ clock: 'first_touch', breaches: 3 }], byRep: [{ repId: 'ava', breaches: 2 }, { repId: 'ben', breaches: 1 }],
    items: [{ leadId: 'lead-digest-1', clock: 'first_touch', ownerRepId: 'ava', deadline: '2026-11-30T10:10:00.000Z', occurredAt: '2026-11-30T10:11:00.000Z', minutesLate: 1 }], more: 2,
  }],
  totals: { breaches: 3, leads: 2 },
};

/** A stand-in for reporting's digest API: answers the missed-SLA digest to the right key, and records each request. */
async function reportingStub() {
  const requests: Array<{ url: string; key: string | undefined }> = [];
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', key: req.headers['x-api-key'] as string | undefined });
    if (req.headers['x-api-key'] !== 'lsk_digest_reader') return void res.writeHead(401).end();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(req.url?.startsWith('/api/digests/missed-sla') ? missedSla : { kind: 'fallback-review', week: 'x', from: '', to: '', teams: null, totals: { reassignments: 0, leads: 0 }, byRep: [], bySource: [] }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => new Promise((r) => server.close(r)) };
}

describe('a digest on the shared scheduler (real Postgres, a local SMTP server and Slack, an injected clock)', () => {
  let ctx: TestDatabase;
  let smtp: Awaited<ReturnType<typeof localSmtpServer>>;
  let slack: Awaited<ReturnType<typeof localSlack>>;
  let reporting: Awaited<ReturnType<typeof reportingStub>>;
  // The injected clock: real time shifted to just before the EMEA team's digest time (08:30 London, Tuesday 1 Dec 2026).
  let offset = 0;
  const clock = { now: () => new Date(Date.now() + offset) };

  beforeAll(async () => {
    ctx = await testDatabase({ service: 'notifications', schema: 'notifications', migrations: notificationsMigrations });
    smtp = await localSmtpServer();
    slack = await localSlack();
    reporting = await reportingStub();
  }, 60_000);
  afterAll(async () => {
    await ctx?.close();
    await smtp?.close();
    await slack?.close();
    await reporting?.close();
  });

  /** One "process": the digest and delivery schedulers with their repositories, as the module wires them. */
  function start() {
    const config = loadNotificationsConfig({
      NOTIFY_REPORTING_URL: reporting.url, NOTIFY_REPORTING_API_KEY: 'lsk_digest_reader',
      NOTIFY_SMTP_HOST: '127.0.0.1', NOTIFY_SMTP_PORT: String(smtp.port), NOTIFY_SMTP_TLS: 'none', NOTIFY_SMTP_FROM: 'sla@example.com',
      NOTIFY_SLACK_BOT_TOKEN: 'xoxb-digest', NOTIFY_SLACK_API_URL: slack.url, NOTIFY_POLL_INTERVAL_MS: '100',
    });
    const channels = new NotificationChannels(config, clock);
    const deliveries = new DeliveriesRepository(ctx.dataSource);
    const delivery = new DeliveryScheduler(clock, quiet, config, channels, deliveries, noMetrics);
    const digests = new DigestScheduler(clock, quiet, config, { current: () => policy } as unknown as PolicyProvider, channels, new DigestsRepository(ctx.dataSource), deliveries, new ReportingDigestsClient(config), delivery, noMetrics);
    delivery.onApplicationBootstrap();
    return {
      digests,
      ready: digests.onApplicationBootstrap(),
      stop: () => {
        digests.beforeApplicationShutdown();
        delivery.beforeApplicationShutdown();
      },
    };
  }

  const digestMails = () => smtp.mails.filter((m) => m.raw.includes('Missed SLAs on 2026-11-30'));
  const digestPosts = () => slack.posts.filter((p) => p.body.text.includes('Missed SLAs on 2026-11-30'));
  const requestsFor = () => reporting.requests.filter((r) => r.url.startsWith('/api/digests/missed-sla') && r.url.includes('team=emea-sdr'));

  it('plans it before its local time, fires it once after a restart past that time, and never again on the next restart', async () => {
    offset = Date.parse('2026-12-01T08:29:58.500Z') - Date.now();
    const first = start();
    await first.ready;
    const [planned] = await ctx.sql.query<{ status: string; due_at: Date }>(`SELECT status, due_at FROM notifications.digests WHERE digest_key = 'missed-sla/emea-sdr/2026-11-30'`);
    expect({ status: planned.status, dueAt: new Date(planned.due_at).toISOString() }).toEqual({ status: 'pending', dueAt: '2026-12-01T08:30:00.000Z' });
    first.stop(); // down at its instant

    await new Promise((r) => setTimeout(r, 2500)); // the injected clock passes 08:30 while nothing runs
    const second = start();
    await second.ready;
    await waitFor(() => (digestMails().length >= 1 && digestPosts().length >= 2) || undefined, 'the digest email to the manager and its two Slack posts', 20_000);
    second.stop();

    const third = start(); // and once more: nothing fires twice
    await third.ready;
    await new Promise((r) => setTimeout(r, 1500));
    third.stop();

    expect(digestMails()).toHaveLength(1);
    expect(digestMails()[0].to).toEqual(['emea.manager@example.com']);
    expect(digestPosts().map((p) => p.body.channel).sort()).toEqual(['#emea-sdr', 'U0EMEAMGR']);
    expect(requestsFor()).toEqual([{ url: '/api/digests/missed-sla?managerId=mgr-emea&date=2026-11-30&team=emea-sdr', key: 'lsk_digest_reader' }]);
    const [fired] = await ctx.sql.query<{ status: string; fired_at: Date; attempts: number }>(`SELECT status, fired_at, attempts FROM notifications.digests WHERE digest_key = 'missed-sla/emea-sdr/2026-11-30'`);
    expect(fired.status).toBe('fired');
    expect(fired.attempts).toBe(1);
    expect(new Date(fired.fired_at).getTime()).toBeGreaterThanOrEqual(Date.parse('2026-12-01T08:30:00.000Z'));
    // The next day's report is planned already.
    expect(await ctx.sql.query(`SELECT status FROM notifications.digests WHERE digest_key = 'missed-sla/emea-sdr/2026-12-01'`)).toEqual([{ status: 'pending' }]);
  }, 60_000);

  it('sends the manager an HTML email with the tables and an inline PNG chart by cid, and a plain-text part', () => {
    const raw = digestMails()[0].raw.replace(/=\r?\n/g, ''); // undo quoted-printable soft line breaks
    expect(raw).toContain('Content-Type: multipart/related');
    expect(raw).toMatch(/Content-Type: text\/plain; charset=utf-8[\s\S]*Breaches per rep\r?\nTeam \| Rep \| Breaches\r?\nemea-sdr \| ava \| 2/);
    expect(raw).toMatch(/Content-Type: text\/html; charset=utf-8[\s\S]*<img src=3D"cid:chart@lead-sla"/);
    expect(raw).toContain('lead-digest-1');
    expect(raw).toMatch(/Content-Type: image\/png; name=chart\.png\r?\nContent-ID: <chart@lead-sla>/);
    const png = Buffer.from(raw.split(/Content-ID: <chart@lead-sla>\r?\n(?:Content-[^\n]*\n)*\r?\n/)[1].split('----')[0].replace(/\s/g, ''), 'base64');
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
  });
});

import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EventPublisher } from '@lead-sla/messaging';
import { runMigrations } from '@lead-sla/platform';
import { dataSourceFor, loadRuntimeConfig, serviceApplication } from '@lead-sla/service-runtime';
import { makeEvent, publishTestPolicy, testKafka, uniqueName, waitFor, withPg } from '@lead-sla/testing';
import { NotificationChannels } from './deliver-notifications/notification-channels';
import { loadNotificationsConfig } from './notifications-config';
import { NotificationsModule, notificationsService } from './notifications.module';
import type { NotificationPayload } from './plan-notifications/notification-plan';
import { localSlack, localSmtpServer } from './testing/local-receivers';

/** The e2e policy with a directory: ava by email, her manager on a Slack channel of their own, the team on its channel. */
const withDirectory = (base: string): string =>
  base
    .replace('backupTeamId: amer-sdr }', 'backupTeamId: amer-sdr, slack: "#emea-sdr" }')
    .replace(/\ndirectory:[\s\S]*$/, '')
    .concat(
      '\ndirectory:\n' +
        '  - { id: ava, email: ava@example.com, timeZone: UTC }\n' +
        '  - { id: mgr-emea, email: emea.manager@example.com, slack: "#emea-managers", notify: { channels: [slack] } }\n',
    );

const ENV = ['POLICY_FILE', 'NOTIFY_SMTP_HOST', 'NOTIFY_SMTP_PORT', 'NOTIFY_SMTP_TLS', 'NOTIFY_SMTP_FROM', 'NOTIFY_SLACK_BOT_TOKEN', 'NOTIFY_SLACK_API_URL', 'NOTIFY_RETRY_BASE_MS', 'NOTIFY_POLL_INTERVAL_MS', 'LOG_LEVEL'];

describe('notifications to people and teams from the directory (real Kafka, Postgres, a local SMTP server and a local Slack)', () => {
  let app: INestApplication;
  let smtp: Awaited<ReturnType<typeof localSmtpServer>>;
  let slack: Awaited<ReturnType<typeof localSlack>>;
  const saved: Record<string, string | undefined> = {};
  const kafka = testKafka();
  const publisher = new EventPublisher(kafka);

  beforeAll(async () => {
    smtp = await localSmtpServer();
    slack = await localSlack();
    for (const k of ENV) saved[k] = process.env[k];
    // The policy in force is the one on the log (docs/policy.md), and other specs' platforms publish theirs on this
    // shared topic: publish the directory's version first, as routing would.
    const policy = await publishTestPolicy(kafka, join(__dirname, '../../../infra/e2e/policies/e2e.policy.yaml'), 'notify-directory', withDirectory);
    Object.assign(process.env, {
      POLICY_FILE: policy.file,
      NOTIFY_SMTP_HOST: '127.0.0.1',
      NOTIFY_SMTP_PORT: String(smtp.port),
      NOTIFY_SMTP_TLS: 'none',
      NOTIFY_SMTP_FROM: 'Lead SLA <sla@example.com>',
      NOTIFY_SLACK_BOT_TOKEN: 'xoxb-int-test',
      NOTIFY_SLACK_API_URL: `${slack.url}/api`,
      NOTIFY_RETRY_BASE_MS: '200',
      NOTIFY_POLL_INTERVAL_MS: '100',
      LOG_LEVEL: 'warn',
    });
    const dataSource = dataSourceFor(notificationsService, loadRuntimeConfig());
    await runMigrations(dataSource, 'notifications');
    await dataSource.destroy();
    app = await NestFactory.create(await serviceApplication(notificationsService, NotificationsModule), { logger: false });
    await app.init();
    await publisher.connect();
  }, 60_000);

  afterAll(async () => {
    await publisher.disconnect();
    await app?.close();
    await smtp?.close();
    await slack?.close();
    for (const k of ENV) {
      if (saved[k] === undefined) delete process.env[k];
      else process.env[k] = saved[k];
    }
  });

  it("delivers a breach to the owner's email, the manager's Slack channel and the team's channel, once each though published twice", async () => {
    const leadId = uniqueName('lead-directory');
    const math = { startedAt: '2026-11-24T10:00:00.000Z', coverageStart: '2026-11-24T10:00:00.000Z', coverageMinutes: 10, deadline: '2026-11-24T10:10:00.000Z', calendarId: 'always-on', timeZone: 'UTC' };
    const breach = makeEvent('SlaBreached', leadId, { clockId: `${leadId}:first_touch`, clock: 'first_touch', tier: 'hot', ownerRepId: 'ava', teamId: 'emea-sdr', managerId: 'mgr-emea', math, policyVersion: 'e2e-1' });
    await publisher.publish([breach, breach]);

    const mails = () => smtp.mails.filter((m) => m.raw.includes(leadId));
    const posts = () => slack.posts.filter((p) => p.body.text.includes(leadId));
    await waitFor(() => (mails().length >= 1 && posts().length >= 2) || undefined, 'the email and both Slack posts', 30_000).catch(async (error: Error) => {
      const state = await withPg(async (pg) => ({
        deliveries: (await pg.query(`SELECT channel, recipient, address, status, attempts FROM notifications.deliveries WHERE lead_id = $1`, [leadId])).rows,
        offsets: (await pg.query(`SELECT partition, next_offset, policy_version FROM notifications.consumer_offsets WHERE group_id = 'lead-sla.notifications' ORDER BY partition`)).rows,
      }));
      throw new Error(`${error.message}; mails ${mails().length}, posts ${posts().length}; deliveries ${JSON.stringify(state.deliveries)}; offsets ${JSON.stringify(state.offsets)}`);
    });
    await new Promise((r) => setTimeout(r, 1500)); // room for any duplicate to show up

    expect(mails()).toHaveLength(1);
    expect(mails()[0]).toMatchObject({ from: 'sla@example.com', to: ['ava@example.com'] });
    expect(mails()[0].raw).toMatch(/^Subject: =\?UTF-8\?Q\?SLA_breached=3A_the_first=5Ftouch_clock/m);
    expect(mails()[0].raw).toMatch(/^Content-Type: text\/plain; charset=utf-8\r?\nContent-Transfer-Encoding: quoted-printable\r?\n\r?\nSLA breached: the first_touch clock of lead /m);
    expect(mails()[0].raw).toContain('Content-Type: text/html; charset=utf-8');
    expect(posts().map((p) => `${p.path} ${p.authorization} ${p.body.channel}`).sort()).toEqual([
      '/api/chat.postMessage Bearer xoxb-int-test #emea-managers',
      '/api/chat.postMessage Bearer xoxb-int-test #emea-sdr',
    ]);
    await withPg(async (pg) => {
      const { rows } = await pg.query(`SELECT channel, recipient, address, status FROM notifications.deliveries WHERE lead_id = $1 ORDER BY channel, recipient`, [leadId]);
      expect(rows).toEqual([
        { channel: 'email', recipient: 'ava', address: 'ava@example.com', status: 'sent' },
        { channel: 'slack', recipient: 'mgr-emea', address: '#emea-managers', status: 'sent' },
        { channel: 'slack', recipient: 'team:emea-sdr', address: '#emea-sdr', status: 'sent' },
      ]);
    });
  });

  it('posts to a channel through its own incoming webhook without a bot token, and counts a Slack answer of ok: false as a failure', async () => {
    const payload: NotificationPayload = {
      kind: 'sla.breached', eventId: 'e1', eventType: 'SlaBreached', leadId: 'lead-hook', occurredAt: '2026-11-24T10:10:00.000Z',
      recipient: { teamId: 'emea-sdr', role: 'team' }, text: 'SLA breached: lead-hook', details: {},
    };
    const clock = { now: () => new Date() };
    const hooks = new NotificationChannels(loadNotificationsConfig({ NOTIFY_SLACK_CHANNEL_WEBHOOKS: JSON.stringify({ '#emea-sdr': `${slack.url}/services/T0/B0/emea` }) }), clock);
    expect(hooks.routes().slackReaches('#emea-sdr')).toBe(true);
    expect(hooks.routes().slackReaches('U0AVA0001')).toBe(false);
    expect(await hooks.send('slack', 'd-hook', payload, '#emea-sdr')).toEqual({ ok: true });
    expect(slack.posts.at(-1)).toEqual({ path: '/services/T0/B0/emea', authorization: undefined, body: { text: 'SLA breached: lead-hook' } });
    expect(await hooks.send('slack', 'd-hook', payload, '#amer-sdr')).toEqual({ ok: false, error: expect.stringMatching(/no Slack route to #amer-sdr: set NOTIFY_SLACK_BOT_TOKEN/) });

    const bot = new NotificationChannels(loadNotificationsConfig({ NOTIFY_SLACK_BOT_TOKEN: 'xoxb-x', NOTIFY_SLACK_API_URL: `${slack.url}/api/` }), clock);
    expect(await bot.send('slack', 'd-refused', payload, '#nowhere')).toEqual({ ok: false, error: 'Slack chat.postMessage: channel_not_found' });
  });
});

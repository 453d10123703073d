import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadNotificationsConfig, notificationsEnv } from './notifications-config';

describe('notifications configuration', () => {
  it('is documented in docs/configuration.md, variable by variable', () => {
    const documented = readFileSync(join(__dirname, '../../../docs/configuration.md'), 'utf8');
    for (const name of Object.keys(notificationsEnv)) expect(documented).toContain(`| \`${name}\` |`);
  });

  it('delivers to nowhere by default', () => {
    expect(loadNotificationsConfig({})).toMatchObject({ NOTIFY_SLACK_WEBHOOK_URL: undefined, NOTIFY_WEBHOOK_URL: undefined });
  });

  it('names the variable that is wrong', () => {
    expect(() => loadNotificationsConfig({ NOTIFY_WEBHOOK_URL: 'ftp://x' })).toThrow(/NOTIFY_WEBHOOK_URL: must be an http\(s\) URL/);
    expect(() => loadNotificationsConfig({ NOTIFY_WEBHOOK_URL: 'https://hooks.example/x' })).toThrow(/NOTIFY_WEBHOOK_SECRET: required when NOTIFY_WEBHOOK_URL is set/);
    expect(() => loadNotificationsConfig({ NOTIFY_EVENT_TYPES: 'SlaBreached,LeadTouched' })).toThrow(/NOTIFY_EVENT_TYPES: unknown event type\(s\) LeadTouched/);
  });

  it('names what is missing or malformed for Slack, email and the digests', () => {
    expect(() => loadNotificationsConfig({ NOTIFY_SMTP_HOST: 'smtp.example.com' })).toThrow(/NOTIFY_SMTP_FROM: required when NOTIFY_SMTP_HOST is set/);
    expect(() => loadNotificationsConfig({ NOTIFY_SMTP_HOST: 'smtp.example.com', NOTIFY_SMTP_FROM: 'sla@example.com', NOTIFY_SMTP_USER: 'u' })).toThrow(/NOTIFY_SMTP_USER, NOTIFY_SMTP_PASSWORD: set both/);
    expect(() => loadNotificationsConfig({ NOTIFY_SMTP_TLS: 'ssl' })).toThrow(/NOTIFY_SMTP_TLS: /);
    expect(() => loadNotificationsConfig({ NOTIFY_REPORTING_URL: 'http://reporting:3004' })).toThrow(/NOTIFY_REPORTING_API_KEY: required when NOTIFY_REPORTING_URL is set/);
    expect(() => loadNotificationsConfig({ NOTIFY_SLACK_CHANNEL_WEBHOOKS: 'not json' })).toThrow(/NOTIFY_SLACK_CHANNEL_WEBHOOKS: must be a JSON object of channel → incoming webhook URL/);
    expect(() => loadNotificationsConfig({ NOTIFY_SLACK_CHANNEL_WEBHOOKS: '{"emea":"https://hooks.slack.com/x"}' })).toThrow(/NOTIFY_SLACK_CHANNEL_WEBHOOKS: emea: keys are Slack channels/);
    expect(() => loadNotificationsConfig({ NOTIFY_SLACK_BOT_TOKEN: 'abc' })).toThrow(/NOTIFY_SLACK_BOT_TOKEN: must be a Slack token/);
  });

  it('reads the Slack, SMTP and digest settings, with STARTTLS required by default', () => {
    expect(loadNotificationsConfig({ NOTIFY_SLACK_CHANNEL_WEBHOOKS: '{"#emea-sdr":"https://hooks.slack.com/services/T/B/x"}', NOTIFY_SMTP_HOST: 'smtp.example.com', NOTIFY_SMTP_FROM: 'sla@example.com' })).toMatchObject({
      NOTIFY_SLACK_CHANNEL_WEBHOOKS: { '#emea-sdr': 'https://hooks.slack.com/services/T/B/x' },
      NOTIFY_SLACK_API_URL: 'https://slack.com/api',
      NOTIFY_SMTP_PORT: 587,
      NOTIFY_SMTP_TLS: 'starttls',
      NOTIFY_SMTP_TLS_REJECT_UNAUTHORIZED: true,
    });
    expect(loadNotificationsConfig({}).NOTIFY_SLACK_CHANNEL_WEBHOOKS).toEqual({});
  });
});

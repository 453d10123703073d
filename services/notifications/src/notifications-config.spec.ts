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
});

import { z } from 'zod';
import { envSettings, parseEnv, type EnvProblem } from '@lead-sla/platform';
import { DEFAULT_ACKNOWLEDGEMENT_TEMPLATE } from './plan-notifications/notification-plan';

export const NotifiableEventTypes = ['SlaWarning', 'SlaBreached', 'SlaEscalated', 'LeadAssigned', 'RepRotationChanged', 'LeadAcknowledged'] as const;
export type NotifiableEventType = (typeof NotifiableEventTypes)[number];

const httpUrl = z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' });

/**
 * Notifications' own settings (docs/configuration.md). With no channel URL
 * set nothing is delivered anywhere: the safe default for a fresh install.
 */
export const notificationsEnv = {
  NOTIFY_SLACK_WEBHOOK_URL: httpUrl.optional(),
  NOTIFY_WEBHOOK_URL: httpUrl.optional(),
  NOTIFY_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** While rotating: the secret receivers may still hold; deliveries are signed with both. */
  NOTIFY_WEBHOOK_PREVIOUS_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  /** The unassigned queue's own channel (its clocks' warnings, breaches and ladder steps), signed like NOTIFY_WEBHOOK_URL. */
  NOTIFY_QUEUE_WEBHOOK_URL: httpUrl.optional(),
  /** The lead's channel: an email/SMS gateway that receives the after-hours acknowledgement by lead id, signed like NOTIFY_WEBHOOK_URL. */
  NOTIFY_LEAD_WEBHOOK_URL: httpUrl.optional(),
  NOTIFY_ACKNOWLEDGEMENT_TEMPLATE: z.string().min(1, 'must not be empty').default(DEFAULT_ACKNOWLEDGEMENT_TEMPLATE),
  /** A Slack app's bot token (xoxb-…): posts with chat.postMessage to any person's Slack user (a direct message) or channel. */
  NOTIFY_SLACK_BOT_TOKEN: z.string().regex(/^xox[a-z]-/, 'must be a Slack token ("xoxb-…")').optional(),
  /** Where chat.postMessage is called (a local receiver can stand in for Slack). */
  NOTIFY_SLACK_API_URL: httpUrl.default('https://slack.com/api'),
  /** Without a bot token: one incoming webhook per channel, as JSON {"#emea-sdr": "https://hooks.slack.com/…"}. */
  NOTIFY_SLACK_CHANNEL_WEBHOOKS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return {} as Record<string, string>;
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of channel → incoming webhook URL, e.g. {"#emea-sdr":"https://hooks.slack.com/services/…"}' });
        return z.NEVER;
      }
      const map = z.record(z.string(), httpUrl).safeParse(parsed);
      const problems = map.success ? [] : map.error.issues.map((i) => `${i.path.join('.') || '(value)'}: ${i.message}`);
      // The keys are the `slack` channels of the policy's teams and people, spelled the same way.
      for (const key of map.success ? Object.keys(map.data) : []) if (!/^(#[a-z0-9][a-z0-9._-]*|[CG][A-Z0-9]{2,})$/.test(key)) problems.push(`${key}: keys are Slack channels ("#name" or a channel id), as in the policy`);
      if (problems.length > 0 || !map.success) {
        ctx.addIssue({ code: 'custom', message: problems.join('; ') });
        return z.NEVER;
      }
      return map.data;
    }),
  /** SMTP for email (nodemailer); email is a channel only when this is set. */
  NOTIFY_SMTP_HOST: z.string().min(1).optional(),
  NOTIFY_SMTP_PORT: z.coerce.number({ message: 'must be a number' }).int().min(1).max(65535).default(587),
  NOTIFY_SMTP_USER: z.string().min(1).optional(),
  NOTIFY_SMTP_PASSWORD: z.string().min(1).optional(),
  /** The sender, e.g. "Lead SLA <sla@example.com>". */
  NOTIFY_SMTP_FROM: z.string().min(3).optional(),
  /** `starttls` (default: the connection must be upgraded), `implicit` (TLS from the start, usually port 465), `none` (plain text: local test servers only). */
  NOTIFY_SMTP_TLS: z.enum(['starttls', 'implicit', 'none']).default('starttls'),
  /** Set to false only for a server with a self-signed certificate you trust. */
  NOTIFY_SMTP_TLS_REJECT_UNAUTHORIZED: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** The reporting service's base URL: digests are fetched from it; no digests without it. */
  NOTIFY_REPORTING_URL: httpUrl.optional(),
  /** An API key with the `read` scope (reports of every team), sent as X-Api-Key. */
  NOTIFY_REPORTING_API_KEY: z.string().min(1).optional(),
  /** How often the digest schedule is extended from the policy in force (the next daily and weekly digest of each team). */
  NOTIFY_DIGEST_PLAN_INTERVAL_MS: z.coerce.number({ message: 'must be a number' }).int().min(1000).default(15 * 60 * 1000),
  NOTIFY_EVENT_TYPES: z
    .string()
    .default(NotifiableEventTypes.join(','))
    .transform((v, ctx) => {
      const types = v.split(',').map((t) => t.trim()).filter(Boolean);
      const unknown = types.filter((t) => !(NotifiableEventTypes as readonly string[]).includes(t));
      if (unknown.length > 0) ctx.addIssue({ code: 'custom', message: `unknown event type(s) ${unknown.join(', ')}; use any of ${NotifiableEventTypes.join(', ')}` });
      return types as NotifiableEventType[];
    }),
  NOTIFY_MAX_ATTEMPTS: z.coerce.number({ message: 'must be a number' }).int().min(1).max(100).default(8),
  NOTIFY_RETRY_BASE_MS: z.coerce.number({ message: 'must be a number' }).int().min(1).default(1000),
  NOTIFY_RETRY_MAX_MS: z.coerce.number({ message: 'must be a number' }).int().min(1).default(15 * 60 * 1000),
  NOTIFY_POLL_INTERVAL_MS: z.coerce.number({ message: 'must be a number' }).int().min(10).default(1000),
  NOTIFY_HTTP_TIMEOUT_MS: z.coerce.number({ message: 'must be a number' }).int().min(100).default(5000),
};

/** Notifications' settings and the rules across them (checked at start-up with every other setting). */
export const notificationsSettings = envSettings(notificationsEnv, (config): EnvProblem[] => {
  const problems: EnvProblem[] = [];
  // A signed webhook without a secret could not be verified by its receiver.
  const signed = (['NOTIFY_WEBHOOK_URL', 'NOTIFY_QUEUE_WEBHOOK_URL', 'NOTIFY_LEAD_WEBHOOK_URL'] as const).filter((name) => config[name]);
  if (signed.length > 0 && !config.NOTIFY_WEBHOOK_SECRET) {
    problems.push({ variable: 'NOTIFY_WEBHOOK_SECRET', message: `required when ${signed.join(', ')} ${signed.length === 1 ? 'is' : 'are'} set (not set)` });
  }
  if (config.NOTIFY_WEBHOOK_PREVIOUS_SECRET && !config.NOTIFY_WEBHOOK_SECRET) {
    problems.push({ variable: 'NOTIFY_WEBHOOK_PREVIOUS_SECRET', message: 'set only while rotating, beside the new NOTIFY_WEBHOOK_SECRET (NOTIFY_WEBHOOK_SECRET is not set)' });
  }
  if (config.NOTIFY_SMTP_HOST && !config.NOTIFY_SMTP_FROM) problems.push({ variable: 'NOTIFY_SMTP_FROM', message: 'required when NOTIFY_SMTP_HOST is set (the sender address, e.g. "Lead SLA <sla@example.com>")' });
  if (!!config.NOTIFY_SMTP_USER !== !!config.NOTIFY_SMTP_PASSWORD) problems.push({ variable: 'NOTIFY_SMTP_USER, NOTIFY_SMTP_PASSWORD', message: 'set both (authenticated SMTP) or neither' });
  if (config.NOTIFY_REPORTING_URL && !config.NOTIFY_REPORTING_API_KEY) problems.push({ variable: 'NOTIFY_REPORTING_API_KEY', message: 'required when NOTIFY_REPORTING_URL is set (an API key with the "read" scope, for the digests)' });
  return problems;
});

export type NotificationsConfig = ReturnType<typeof loadNotificationsConfig>;

export function loadNotificationsConfig(env: NodeJS.ProcessEnv = process.env) {
  return parseEnv(notificationsSettings, env);
}

export const NOTIFICATIONS_CONFIG = Symbol('NotificationsConfig');

import { z } from 'zod';
import { ConfigError, loadEnvConfig } from '@lead-sla/platform';
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

export type NotificationsConfig = ReturnType<typeof loadNotificationsConfig>;

export function loadNotificationsConfig(env: NodeJS.ProcessEnv = process.env) {
  const config = loadEnvConfig(notificationsEnv, env);
  // A signed webhook without a secret could not be verified by its receiver.
  const signed = (['NOTIFY_WEBHOOK_URL', 'NOTIFY_QUEUE_WEBHOOK_URL', 'NOTIFY_LEAD_WEBHOOK_URL'] as const).filter((name) => config[name]);
  if (signed.length > 0 && !config.NOTIFY_WEBHOOK_SECRET) {
    throw new ConfigError([`NOTIFY_WEBHOOK_SECRET: required when ${signed.join(', ')} ${signed.length === 1 ? 'is' : 'are'} set (not set)`]);
  }
  if (config.NOTIFY_WEBHOOK_PREVIOUS_SECRET && !config.NOTIFY_WEBHOOK_SECRET) {
    throw new ConfigError(['NOTIFY_WEBHOOK_PREVIOUS_SECRET: set only while rotating, beside the new NOTIFY_WEBHOOK_SECRET (NOTIFY_WEBHOOK_SECRET is not set)']);
  }
  return config;
}

export const NOTIFICATIONS_CONFIG = Symbol('NotificationsConfig');

import { Inject, Injectable } from '@nestjs/common';
import type { Clock } from '@lead-sla/platform';
import { CLOCK } from '@lead-sla/service-runtime';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../notifications-config';
import type { ChannelName, NotificationPayload } from '../plan-notifications/notification-plan';
import { SignatureHeaders, webhookSignatureHeader } from './webhook-signature.util';

export type SendResult = { ok: true } | { ok: false; error: string };

/**
 * The configured channels. A channel exists only when its URL is set, so a
 * default install delivers to nowhere. 2xx is success; anything else
 * (including a timeout) is a failure the worker retries with backoff.
 */
@Injectable()
export class NotificationChannels {
  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  enabled(): ChannelName[] {
    const urls: Record<ChannelName, string | undefined> = {
      slack: this.config.NOTIFY_SLACK_WEBHOOK_URL,
      webhook: this.config.NOTIFY_WEBHOOK_URL,
      queue: this.config.NOTIFY_QUEUE_WEBHOOK_URL,
      lead: this.config.NOTIFY_LEAD_WEBHOOK_URL,
    };
    return (Object.keys(urls) as ChannelName[]).filter((c) => urls[c]);
  }

  async send(channel: ChannelName, deliveryId: string, payload: NotificationPayload): Promise<SendResult> {
    switch (channel) {
      case 'slack':
        // Slack-compatible incoming webhook: a JSON body with `text`.
        return this.post(this.config.NOTIFY_SLACK_WEBHOOK_URL, JSON.stringify({ text: `${payload.text} → ${payload.recipient.role} ${'repId' in payload.recipient ? payload.recipient.repId : ''}`.trimEnd() }), {});
      case 'webhook':
        return this.signedPost(this.config.NOTIFY_WEBHOOK_URL, deliveryId, payload);
      case 'queue':
        return this.signedPost(this.config.NOTIFY_QUEUE_WEBHOOK_URL, deliveryId, payload);
      case 'lead':
        return this.signedPost(this.config.NOTIFY_LEAD_WEBHOOK_URL, deliveryId, payload);
    }
  }

  private signedPost(url: string | undefined, deliveryId: string, payload: NotificationPayload): Promise<SendResult> {
    const body = JSON.stringify({ deliveryId, ...payload });
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    return this.post(url, body, {
      [SignatureHeaders.timestamp]: String(timestamp),
      [SignatureHeaders.signature]: webhookSignatureHeader(this.webhookSecrets(), timestamp, body),
      [SignatureHeaders.delivery]: deliveryId,
    });
  }

  /** The current secret, then the previous one while a rotation is under way. */
  private webhookSecrets(): string[] {
    return [this.config.NOTIFY_WEBHOOK_SECRET, this.config.NOTIFY_WEBHOOK_PREVIOUS_SECRET].filter((s): s is string => !!s);
  }

  private async post(url: string | undefined, body: string, headers: Record<string, string>): Promise<SendResult> {
    if (!url) return { ok: false, error: 'channel not configured' };
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'lead-sla-notifications', ...headers },
        body,
        signal: AbortSignal.timeout(this.config.NOTIFY_HTTP_TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.ok ? { ok: true } : { ok: false, error: `HTTP ${res.status}` };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }
}

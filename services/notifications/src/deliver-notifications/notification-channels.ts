import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import type { Clock } from '@lead-sla/platform';
import { CLOCK } from '@lead-sla/service-runtime';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../notifications-config';
import type { ChannelName, NotificationPayload, Routes } from '../plan-notifications/notification-plan';
import { renderEmail, renderSlackText } from './notification-message.util';
import { SignatureHeaders, webhookSignatureHeader } from './webhook-signature.util';

export type SendResult = { ok: true } | { ok: false; error: string };

/**
 * The configured transports. A channel exists only when it is configured, so
 * a default install delivers to nowhere. Slack: a bot token (chat.postMessage
 * to any user or channel), incoming webhooks per channel, and the company-wide
 * webhook for people it cannot reach directly. Email: SMTP through nodemailer.
 * 2xx (Slack: `ok: true`; SMTP: accepted) is success; anything else, including
 * a timeout, is a failure the worker retries with backoff.
 */
@Injectable()
export class NotificationChannels implements OnApplicationShutdown {
  private mailer: Transporter | null = null;

  constructor(
    @Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  enabled(): ChannelName[] {
    const configured: Record<ChannelName, boolean> = {
      slack: !!this.config.NOTIFY_SLACK_BOT_TOKEN || Object.keys(this.config.NOTIFY_SLACK_CHANNEL_WEBHOOKS).length > 0 || !!this.config.NOTIFY_SLACK_WEBHOOK_URL,
      email: !!this.config.NOTIFY_SMTP_HOST,
      webhook: !!this.config.NOTIFY_WEBHOOK_URL,
      queue: !!this.config.NOTIFY_QUEUE_WEBHOOK_URL,
      lead: !!this.config.NOTIFY_LEAD_WEBHOOK_URL,
    };
    return (Object.keys(configured) as ChannelName[]).filter((c) => configured[c]);
  }

  /** What the audience can be reached on (plan-notifications/notification-audience.rule.ts). */
  routes(): Routes {
    const webhooks = this.config.NOTIFY_SLACK_CHANNEL_WEBHOOKS;
    return {
      channels: this.enabled(),
      slackReaches: (address) => !!this.config.NOTIFY_SLACK_BOT_TOKEN || address in webhooks,
      slackCompanyWebhook: !!this.config.NOTIFY_SLACK_WEBHOOK_URL,
    };
  }

  async send(channel: ChannelName, deliveryId: string, payload: NotificationPayload, address: string | null = null): Promise<SendResult> {
    switch (channel) {
      case 'slack':
        return this.slack(address, payload);
      case 'email':
        return this.email(address, deliveryId, payload);
      case 'webhook':
        return this.signedPost(this.config.NOTIFY_WEBHOOK_URL, deliveryId, payload);
      case 'queue':
        return this.signedPost(this.config.NOTIFY_QUEUE_WEBHOOK_URL, deliveryId, payload);
      case 'lead':
        return this.signedPost(this.config.NOTIFY_LEAD_WEBHOOK_URL, deliveryId, payload);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.mailer?.close();
  }

  private async slack(address: string | null, payload: NotificationPayload): Promise<SendResult> {
    if (address === null) {
      // The company-wide incoming webhook: a JSON body with `text`, naming whom it is for.
      const who = 'repId' in payload.recipient ? payload.recipient.repId : '';
      return this.post(this.config.NOTIFY_SLACK_WEBHOOK_URL, JSON.stringify({ text: `${renderSlackText(payload)} → ${payload.recipient.role} ${who}`.trimEnd() }), {});
    }
    const text = renderSlackText(payload);
    if (this.config.NOTIFY_SLACK_BOT_TOKEN) {
      return this.post(`${this.config.NOTIFY_SLACK_API_URL.replace(/\/$/, '')}/chat.postMessage`, JSON.stringify({ channel: address, text, unfurl_links: false }), {
        authorization: `Bearer ${this.config.NOTIFY_SLACK_BOT_TOKEN}`,
      }, async (res) => {
        // Slack answers 200 with {"ok": false, "error": "channel_not_found"} on most failures.
        const body = (await res.json().catch(() => null)) as { ok?: boolean; error?: string } | null;
        return body?.ok ? { ok: true } : { ok: false, error: `Slack chat.postMessage: ${body?.error ?? 'no "ok" in the answer'}` };
      });
    }
    const webhook = this.config.NOTIFY_SLACK_CHANNEL_WEBHOOKS[address];
    if (!webhook) return { ok: false, error: `no Slack route to ${address}: set NOTIFY_SLACK_BOT_TOKEN, or an incoming webhook for it in NOTIFY_SLACK_CHANNEL_WEBHOOKS` };
    return this.post(webhook, JSON.stringify({ text }), {});
  }

  private async email(address: string | null, deliveryId: string, payload: NotificationPayload): Promise<SendResult> {
    if (!address || !this.config.NOTIFY_SMTP_HOST) return { ok: false, error: 'email not configured (NOTIFY_SMTP_HOST) or no address' };
    const message = renderEmail(payload);
    try {
      const info = await this.transporter().sendMail({
        from: this.config.NOTIFY_SMTP_FROM,
        to: address,
        subject: message.subject,
        text: message.text,
        html: message.html,
        attachments: message.attachments.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType, cid: a.cid })),
        // Stable across retries, so a mail client shows a retried delivery once.
        messageId: `<${deliveryId}@lead-sla>`,
        headers: { [SignatureHeaders.delivery]: deliveryId },
      });
      const rejected = info.rejected ?? [];
      return rejected.length === 0 ? { ok: true } : { ok: false, error: `SMTP rejected ${rejected.join(', ')}` };
    } catch (error) {
      return { ok: false, error: `SMTP: ${(error as Error).message}` };
    }
  }

  private transporter(): Transporter {
    if (!this.mailer) {
      const c = this.config;
      this.mailer = createTransport({
        host: c.NOTIFY_SMTP_HOST,
        port: c.NOTIFY_SMTP_PORT,
        secure: c.NOTIFY_SMTP_TLS === 'implicit',
        requireTLS: c.NOTIFY_SMTP_TLS === 'starttls',
        ignoreTLS: c.NOTIFY_SMTP_TLS === 'none',
        auth: c.NOTIFY_SMTP_USER ? { user: c.NOTIFY_SMTP_USER, pass: c.NOTIFY_SMTP_PASSWORD } : undefined,
        tls: { rejectUnauthorized: c.NOTIFY_SMTP_TLS_REJECT_UNAUTHORIZED },
        connectionTimeout: c.NOTIFY_HTTP_TIMEOUT_MS,
        greetingTimeout: c.NOTIFY_HTTP_TIMEOUT_MS,
        socketTimeout: c.NOTIFY_HTTP_TIMEOUT_MS * 2,
      });
    }
    return this.mailer;
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

  private async post(url: string | undefined, body: string, headers: Record<string, string>, judge?: (res: Response) => Promise<SendResult>): Promise<SendResult> {
    if (!url) return { ok: false, error: 'channel not configured' };
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'lead-sla-notifications', ...headers },
        body,
        signal: AbortSignal.timeout(this.config.NOTIFY_HTTP_TIMEOUT_MS),
      });
      if (!res.ok) {
        await res.arrayBuffer().catch(() => undefined);
        return { ok: false, error: `HTTP ${res.status}` };
      }
      if (judge) return await judge(res);
      await res.arrayBuffer().catch(() => undefined);
      return { ok: true };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }
}

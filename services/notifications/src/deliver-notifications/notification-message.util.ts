import type { NotificationPayload } from '../plan-notifications/notification-plan';
import type { DigestContent } from '../send-digests/digest-content';
import { renderDigestEmail, renderDigestSlack, type RenderedEmail } from '../send-digests/digest-message.util';

function digestOf(payload: NotificationPayload): DigestContent | null {
  return payload.kind === 'digest.missed_sla' || payload.kind === 'digest.fallback_review' ? (payload.details.digest as DigestContent) : null;
}

/** The Slack text of a notification (a digest: its tables). */
export function renderSlackText(payload: NotificationPayload): string {
  const digest = digestOf(payload);
  return digest ? renderDigestSlack(digest) : payload.text;
}

/** The email of a notification: a digest with its tables and chart; anything else, its sentence. */
export function renderEmail(payload: NotificationPayload): RenderedEmail {
  const digest = digestOf(payload);
  if (digest) return renderDigestEmail(digest);
  const subject = payload.text.length > 120 ? `${payload.text.slice(0, 117)}…` : payload.text;
  const esc = payload.text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return {
    subject,
    text: `${payload.text}\n\n(${payload.kind}, event ${payload.eventId})\n`,
    html: `<!doctype html><html><body style="font:14px sans-serif"><p>${esc}</p><p style="color:#64748b">${payload.kind}, event ${payload.eventId}</p></body></html>`,
    attachments: [],
  };
}

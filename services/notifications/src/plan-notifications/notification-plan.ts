import { deterministicId, type LeadEvent } from '@lead-sla/contracts';
import { policyLookup, type Policy } from '@lead-sla/policy';
import type { NotifiableEventType } from '../notifications-config';
import {
  audienceOf, deliveryTimeOf, recipientIdOf,
  type ChannelName, type Notification, type NotificationKind, type Recipient, type RecipientRole, type Routes,
} from './notification-audience.rule';

export type { ChannelName, Recipient, RecipientRole, Routes } from './notification-audience.rule';

/** The default words of the after-hours acknowledgement ({leadId}, {opensAt}: the local opening time, {timeZone}). */
export const DEFAULT_ACKNOWLEDGEMENT_TEMPLATE = 'Thank you for getting in touch. Our team is away right now; a person will contact you soon after we open at {opensAt} ({timeZone}).';

/** Digests are not events on the log: their own type names in the deliveries table and the webhook payload. */
export type DigestType = 'MissedSlaDigest' | 'FallbackReviewDigest';

/** What a notification says; ids only in the payload — the address it went to is the delivery's, not the payload's. */
export interface NotificationPayload {
  readonly kind: NotificationKind;
  readonly eventId: string;
  readonly eventType: NotifiableEventType | DigestType;
  readonly leadId: string | null;
  readonly occurredAt: string;
  readonly recipient: Recipient;
  readonly text: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface PlannedDelivery {
  /** Stable across retries: receivers may dedupe on it too (X-LeadSla-Delivery). */
  readonly deliveryId: string;
  readonly channel: ChannelName;
  readonly recipient: string;
  readonly role: RecipientRole;
  /** The Slack user/channel or email address from the directory; null: the channel's one configured URL. */
  readonly address: string | null;
  /** When it goes out: now, or the end of the person's quiet hours. */
  readonly dueAt: Date;
  readonly payload: NotificationPayload;
}

/** A notification with its words, ready to be planned for its audience. */
export interface Subject extends Notification {
  readonly eventType: NotifiableEventType | DigestType;
  readonly text: (role: RecipientRole) => string;
  readonly details: Record<string, unknown>;
}

/** An opening instant as the lead's team reads it, e.g. "Wed 25 Nov, 09:00". */
function localTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole);
}

/** Only the queue's own clock goes to the queue channel, with the team it belongs to. */
function queueTeamOf(d: { clock: string; teamId: string | null }): string | null {
  return d.clock === 'unassigned_queue' ? d.teamId : null;
}

/** Where a manager puts the rep back (routing's endpoint; the body names the manager until identity exists). */
export function reinstateHint(repId: string, managerId: string): string {
  // Who reinstates is whoever is signed in (issue #12), so the hint names who may, not a body field.
  return `POST /api/reps/${repId}/reinstate on routing, signed in as ${managerId} (or an admin)`;
}

/** The rep's manager in the policy in force; null for a rep the policy does not list (nobody to tell). */
function managerIn(policy: Policy, repId: string): string | null {
  return policy.reps.some((r) => r.id === repId) ? policyLookup.managerOf(policy, repId) : null;
}

const none = { action: null, teamId: null, queueTeamId: null, leadId: null } as const;

/** What an event is news of, for whom (by role) and in which words; null when it is no news. */
export function subjectOf(event: LeadEvent, policy: Policy, acknowledgementTemplate: string): Subject | null {
  const lead = event.leadId ?? '(no lead)';
  switch (event.type) {
    case 'SlaWarning': {
      const d = event.data;
      return {
        ...none,
        kind: 'sla.warning',
        eventType: event.type,
        people: { owner: d.ownerRepId, manager: d.managerId },
        teamId: d.teamId,
        queueTeamId: queueTeamOf(d),
        text: () => `SLA warning: the ${d.clock} clock of lead ${lead} is due at ${d.math.deadline} (owner ${d.ownerRepId ?? 'none'}).`,
        details: { clock: d.clock, tier: d.tier, deadline: d.math.deadline, warnAt: d.warnAt, ownerRepId: d.ownerRepId, teamId: d.teamId, policyVersion: d.policyVersion },
      };
    }
    case 'SlaBreached': {
      const d = event.data;
      return {
        ...none,
        kind: 'sla.breached',
        eventType: event.type,
        people: { owner: d.ownerRepId, manager: d.managerId },
        teamId: d.teamId,
        queueTeamId: queueTeamOf(d),
        text: () =>
          d.clock === 'unassigned_queue'
            ? `Unassigned queue breached: lead ${lead} has waited for an owner in team ${d.teamId ?? '(unknown)'}'s queue past ${d.math.deadline}; nobody in its pool could take it (check availability, shifts and capacity).`
            : `SLA breached: the ${d.clock} clock of lead ${lead} passed its deadline ${d.math.deadline} (owner ${d.ownerRepId ?? 'none'}).`,
        details: { clock: d.clock, tier: d.tier, deadline: d.math.deadline, ownerRepId: d.ownerRepId, teamId: d.teamId, policyVersion: d.policyVersion },
      };
    }
    case 'SlaEscalated': {
      const d = event.data;
      return {
        ...none,
        kind: 'sla.escalated',
        eventType: event.type,
        action: d.action,
        people: { owner: d.ownerRepId, manager: d.managerId },
        teamId: d.teamId,
        queueTeamId: queueTeamOf(d),
        text: () =>
          d.task
            ? `Touch task: lead ${lead} has not replied; touch it again by ${d.task.dueAt}${d.task.channels.length > 1 ? ` on more than one channel (${d.task.channels.join(', ')})` : ''}.`
            : `SLA escalation step ${d.step} (${d.action}) on the ${d.clock} clock of lead ${lead} (owner ${d.ownerRepId ?? 'none'}).`,
        details: { clock: d.clock, step: d.step, action: d.action, lastStep: d.lastStep, task: d.task ?? null, deadline: d.math.deadline, ownerRepId: d.ownerRepId, teamId: d.teamId, policyVersion: d.policyVersion },
      };
    }
    case 'LeadAssigned': {
      const d = event.data;
      // Initial assignments are routine; only owner changes are news.
      if (!d.reassignment) return null;
      return {
        ...none,
        kind: 'lead.reassigned',
        eventType: event.type,
        people: { owner: d.repId, manager: d.managerId, previous_owner: d.previousRepId },
        teamId: d.teamId,
        text: () => `Lead ${lead} reassigned from ${d.previousRepId ?? 'nobody'} to ${d.repId}${d.reassignmentCause ? ` (${d.reassignmentCause})` : ''}.`,
        details: { repId: d.repId, previousRepId: d.previousRepId, teamId: d.teamId, poolId: d.poolId, reason: d.reason, cause: d.reassignmentCause, policyVersion: d.policyVersion },
      };
    }
    case 'RepRotationChanged': {
      const d = event.data;
      // Rotation belongs to the rep's manager: the policy names them, the event does not.
      const managerId = managerIn(policy, d.repId);
      if (d.inRotation) {
        return {
          ...none,
          kind: 'rep.reinstated',
          eventType: event.type,
          people: { manager: managerId },
          text: () => `Rep ${d.repId} is back in rotation${d.by ? `, reinstated by ${d.by}` : ''}.`,
          details: { repId: d.repId, inRotation: true, cause: d.cause, by: d.by, policyVersion: d.policyVersion },
        };
      }
      const misses = d.misses.map((m) => `lead ${m.leadId} (${m.clock} breached at ${m.breachedAt})`).join('; ');
      return {
        ...none,
        kind: 'rep.removed_from_rotation',
        eventType: event.type,
        people: { manager: managerId },
        text: () =>
          `Rep ${d.repId} was taken out of rotation after ${d.misses.length} SLA miss${d.misses.length === 1 ? '' : 'es'}: ${misses || 'none listed'}. ` +
          `They get no new leads until you reinstate them: ${reinstateHint(d.repId, managerId ?? '<manager id>')}.`,
        details: { repId: d.repId, inRotation: false, cause: d.cause, misses: d.misses, reinstate: managerId ? reinstateHint(d.repId, managerId) : null, policyVersion: d.policyVersion },
      };
    }
    case 'LeadAcknowledged': {
      const d = event.data;
      const opensAt = localTime(d.coverageStart, d.timeZone);
      return {
        ...none,
        kind: 'lead.acknowledged',
        eventType: event.type,
        people: {},
        leadId: event.leadId,
        text: () => fill(acknowledgementTemplate, { leadId: lead, opensAt, timeZone: d.timeZone }),
        details: { coverageStart: d.coverageStart, opensAt, timeZone: d.timeZone, calendarId: d.calendarId, policyVersion: d.policyVersion },
      };
    }
    default:
      return null;
  }
}

/**
 * The deliveries of a subject: one per member of its audience (audienceOf:
 * people from the directory, the team's channel, the queue, the lead), each
 * due now or when the person's quiet hours end, with an id stable across
 * retries and re-plans (event, channel, recipient). Pure.
 */
export function planDeliveries(
  subject: Subject,
  source: { readonly eventId: string; readonly occurredAt: string; readonly leadId: string | null },
  policy: Policy,
  routes: Routes,
  now: Date,
): PlannedDelivery[] {
  return audienceOf(subject, policy, routes).map((member) => {
    const id = recipientIdOf(member.recipient);
    return {
      deliveryId: deterministicId(source.eventId, 'notification', member.channel, id),
      channel: member.channel,
      recipient: id,
      role: member.recipient.role,
      address: member.address,
      dueAt: new Date(deliveryTimeOf(member, subject.kind, now.getTime())),
      payload: {
        kind: subject.kind,
        eventId: source.eventId,
        eventType: subject.eventType,
        leadId: source.leadId,
        occurredAt: source.occurredAt,
        recipient: member.recipient,
        text: subject.text(member.recipient.role),
        details: subject.details,
      },
    };
  });
}

/**
 * Who hears about an event, on which channels, and when (docs/notifications.md).
 * Pure: the handler stores the plan, the worker delivers it.
 */
export function planNotifications(
  event: LeadEvent,
  options: { policy: Policy; routes: Routes; eventTypes: readonly NotifiableEventType[]; now: Date; acknowledgementTemplate?: string },
): PlannedDelivery[] {
  const subject = subjectOf(event, options.policy, options.acknowledgementTemplate ?? DEFAULT_ACKNOWLEDGEMENT_TEMPLATE);
  if (!subject || !options.eventTypes.includes(subject.eventType as NotifiableEventType)) return [];
  return planDeliveries(subject, event, options.policy, options.routes, options.now);
}

import { deterministicId, type LeadEvent } from '@lead-sla/contracts';
import type { NotifiableEventType } from '../notifications-config';

export type ChannelName = 'slack' | 'webhook';
export type RecipientRole = 'owner' | 'manager' | 'previous_owner';

/** The policy's answer to "who manages this rep" (null when the rep is not in the policy in force). */
export type ManagerOf = (repId: string) => string | null;

/** What a notification says; ids only — events carry no contact details, and neither do notifications. */
export interface NotificationPayload {
  readonly kind: 'sla.warning' | 'sla.breached' | 'sla.escalated' | 'lead.reassigned' | 'rep.removed_from_rotation' | 'rep.reinstated';
  readonly eventId: string;
  readonly eventType: NotifiableEventType;
  readonly leadId: string | null;
  readonly occurredAt: string;
  readonly recipient: { readonly repId: string; readonly role: RecipientRole };
  readonly text: string;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface PlannedDelivery {
  /** Stable across retries: receivers may dedupe on it too (X-LeadSla-Delivery). */
  readonly deliveryId: string;
  readonly channel: ChannelName;
  readonly recipient: string;
  readonly role: RecipientRole;
  readonly payload: NotificationPayload;
}

interface Subject {
  kind: NotificationPayload['kind'];
  eventType: NotifiableEventType;
  recipients: Array<{ repId: string | null; role: RecipientRole }>;
  text: (role: RecipientRole) => string;
  details: Record<string, unknown>;
}

/** Where a manager puts the rep back (routing's endpoint; the body names the manager until identity exists). */
export function reinstateHint(repId: string, managerId: string): string {
  // Who reinstates is whoever is signed in (issue #12), so the hint names who may, not a body field.
  return `POST /api/reps/${repId}/reinstate on routing, signed in as ${managerId} (or an admin)`;
}

function subjectOf(event: LeadEvent, managerOf: ManagerOf): Subject | null {
  const lead = event.leadId ?? '(no lead)';
  switch (event.type) {
    case 'SlaWarning': {
      const d = event.data;
      return {
        kind: 'sla.warning',
        eventType: event.type,
        recipients: [{ repId: d.ownerRepId, role: 'owner' }, { repId: d.managerId, role: 'manager' }],
        text: () => `SLA warning: the ${d.clock} clock of lead ${lead} is due at ${d.math.deadline} (owner ${d.ownerRepId ?? 'none'}).`,
        details: { clock: d.clock, tier: d.tier, deadline: d.math.deadline, warnAt: d.warnAt, ownerRepId: d.ownerRepId, teamId: d.teamId, policyVersion: d.policyVersion },
      };
    }
    case 'SlaBreached': {
      const d = event.data;
      return {
        kind: 'sla.breached',
        eventType: event.type,
        recipients: [{ repId: d.ownerRepId, role: 'owner' }, { repId: d.managerId, role: 'manager' }],
        text: () => `SLA breached: the ${d.clock} clock of lead ${lead} passed its deadline ${d.math.deadline} (owner ${d.ownerRepId ?? 'none'}).`,
        details: { clock: d.clock, tier: d.tier, deadline: d.math.deadline, ownerRepId: d.ownerRepId, teamId: d.teamId, policyVersion: d.policyVersion },
      };
    }
    case 'SlaEscalated': {
      const d = event.data;
      return {
        kind: 'sla.escalated',
        eventType: event.type,
        recipients: [{ repId: d.ownerRepId, role: 'owner' }, { repId: d.managerId, role: 'manager' }],
        text: () => `SLA escalation step ${d.step} (${d.action}) on the ${d.clock} clock of lead ${lead} (owner ${d.ownerRepId ?? 'none'}).`,
        details: { clock: d.clock, step: d.step, action: d.action, lastStep: d.lastStep, deadline: d.math.deadline, ownerRepId: d.ownerRepId, teamId: d.teamId, policyVersion: d.policyVersion },
      };
    }
    case 'LeadAssigned': {
      const d = event.data;
      // Initial assignments are routine; only owner changes are news.
      if (!d.reassignment) return null;
      return {
        kind: 'lead.reassigned',
        eventType: event.type,
        recipients: [{ repId: d.repId, role: 'owner' }, { repId: d.managerId, role: 'manager' }, { repId: d.previousRepId, role: 'previous_owner' }],
        text: () => `Lead ${lead} reassigned from ${d.previousRepId ?? 'nobody'} to ${d.repId}${d.reassignmentCause ? ` (${d.reassignmentCause})` : ''}.`,
        details: { repId: d.repId, previousRepId: d.previousRepId, teamId: d.teamId, poolId: d.poolId, reason: d.reason, cause: d.reassignmentCause, policyVersion: d.policyVersion },
      };
    }
    case 'RepRotationChanged': {
      const d = event.data;
      // Rotation belongs to the rep's manager: the policy names them, the event does not.
      const managerId = managerOf(d.repId);
      if (d.inRotation) {
        return {
          kind: 'rep.reinstated',
          eventType: event.type,
          recipients: [{ repId: managerId, role: 'manager' }],
          text: () => `Rep ${d.repId} is back in rotation${d.by ? `, reinstated by ${d.by}` : ''}.`,
          details: { repId: d.repId, inRotation: true, cause: d.cause, by: d.by, policyVersion: d.policyVersion },
        };
      }
      const misses = d.misses.map((m) => `lead ${m.leadId} (${m.clock} breached at ${m.breachedAt})`).join('; ');
      return {
        kind: 'rep.removed_from_rotation',
        eventType: event.type,
        recipients: [{ repId: managerId, role: 'manager' }],
        text: () =>
          `Rep ${d.repId} was taken out of rotation after ${d.misses.length} SLA miss${d.misses.length === 1 ? '' : 'es'}: ${misses || 'none listed'}. ` +
          `They get no new leads until you reinstate them: ${reinstateHint(d.repId, managerId ?? '<manager id>')}.`,
        details: { repId: d.repId, inRotation: false, cause: d.cause, misses: d.misses, reinstate: managerId ? reinstateHint(d.repId, managerId) : null, policyVersion: d.policyVersion },
      };
    }
    default:
      return null;
  }
}

/**
 * Who hears about an event, on which channels: the owner and the manager
 * (and the previous owner of a reassigned lead; only the rep's manager for a
 * rotation change), once each per channel.
 * Pure: the handler stores the plan, the worker delivers it.
 */
export function planNotifications(
  event: LeadEvent,
  options: { channels: readonly ChannelName[]; eventTypes: readonly NotifiableEventType[]; managerOf: ManagerOf },
): PlannedDelivery[] {
  const subject = subjectOf(event, options.managerOf);
  if (!subject || !options.eventTypes.includes(subject.eventType) || options.channels.length === 0) return [];
  const seen = new Set<string>();
  const recipients = subject.recipients.flatMap((r) => {
    if (!r.repId || seen.has(r.repId)) return [];
    seen.add(r.repId);
    return [{ repId: r.repId, role: r.role }];
  });
  return options.channels.flatMap((channel) =>
    recipients.map((r) => ({
      deliveryId: deterministicId(event.eventId, 'notification', channel, r.repId),
      channel,
      recipient: r.repId,
      role: r.role,
      payload: {
        kind: subject.kind,
        eventId: event.eventId,
        eventType: subject.eventType,
        leadId: event.leadId,
        occurredAt: event.occurredAt,
        recipient: r,
        text: subject.text(r.role),
        details: subject.details,
      },
    })),
  );
}

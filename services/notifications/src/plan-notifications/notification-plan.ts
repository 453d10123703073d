import { deterministicId, type EscalationAction, type LeadEvent } from '@lead-sla/contracts';
import type { NotifiableEventType } from '../notifications-config';

/**
 * `slack` and `webhook` reach people (reps and managers); `queue` is the
 * unassigned queue's own channel (its clocks' warnings, breaches and steps);
 * `lead` reaches the lead itself (the after-hours acknowledgement, through an
 * email/SMS gateway that looks the contact up by lead id).
 */
export type ChannelName = 'slack' | 'webhook' | 'queue' | 'lead';
const PEOPLE_CHANNELS: readonly ChannelName[] = ['slack', 'webhook'];
export type PersonRole = 'owner' | 'manager' | 'previous_owner';
export type Recipient = { readonly repId: string; readonly role: PersonRole } | { readonly teamId: string; readonly role: 'queue' } | { readonly leadId: string; readonly role: 'lead' };
export type RecipientRole = Recipient['role'];

/**
 * Who hears of each ladder step, by its action (issue: ladders that do what
 * they say): a reminder goes to the owner only; an escalation to the owner
 * and the manager; a reassignment step to both as well (the LeadAssigned
 * routing publishes then tells the new owner); a touch task to the owner.
 */
export const ESCALATION_AUDIENCE: Readonly<Record<EscalationAction, readonly PersonRole[]>> = {
  remind_owner: ['owner'],
  escalate_manager: ['owner', 'manager'],
  reassign: ['owner', 'manager'],
  schedule_touch_task: ['owner'],
};

/** The default words of the after-hours acknowledgement ({leadId}, {opensAt}: the local opening time, {timeZone}). */
export const DEFAULT_ACKNOWLEDGEMENT_TEMPLATE = 'Thank you for getting in touch. Our team is away right now; a person will contact you soon after we open at {opensAt} ({timeZone}).';

/** The policy's answer to "who manages this rep" (null when the rep is not in the policy in force). */
export type ManagerOf = (repId: string) => string | null;

/** What a notification says; ids only — events carry no contact details, and neither do notifications. */
export interface NotificationPayload {
  readonly kind: 'sla.warning' | 'sla.breached' | 'sla.escalated' | 'lead.reassigned' | 'rep.removed_from_rotation' | 'rep.reinstated' | 'lead.acknowledged';
  readonly eventId: string;
  readonly eventType: NotifiableEventType;
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
  readonly payload: NotificationPayload;
}

interface Subject {
  kind: NotificationPayload['kind'];
  eventType: NotifiableEventType;
  /** People, on the people channels. */
  recipients: Array<{ repId: string | null; role: PersonRole }>;
  /** The unassigned queue's channel, for its clocks: the team the queue belongs to. */
  queueTeamId?: string | null;
  /** The lead's own channel. */
  toLead?: boolean;
  text: (role: RecipientRole) => string;
  details: Record<string, unknown>;
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

function subjectOf(event: LeadEvent, managerOf: ManagerOf, acknowledgementTemplate: string): Subject | null {
  const lead = event.leadId ?? '(no lead)';
  switch (event.type) {
    case 'SlaWarning': {
      const d = event.data;
      return {
        kind: 'sla.warning',
        eventType: event.type,
        recipients: [{ repId: d.ownerRepId, role: 'owner' }, { repId: d.managerId, role: 'manager' }],
        queueTeamId: queueTeamOf(d),
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
        kind: 'sla.escalated',
        eventType: event.type,
        recipients: ESCALATION_AUDIENCE[d.action].map((role) => ({ repId: role === 'owner' ? d.ownerRepId : role === 'manager' ? d.managerId : null, role })),
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
    case 'LeadAcknowledged': {
      const d = event.data;
      const opensAt = localTime(d.coverageStart, d.timeZone);
      return {
        kind: 'lead.acknowledged',
        eventType: event.type,
        recipients: [],
        toLead: true,
        text: () => fill(acknowledgementTemplate, { leadId: lead, opensAt, timeZone: d.timeZone }),
        details: { coverageStart: d.coverageStart, opensAt, timeZone: d.timeZone, calendarId: d.calendarId, policyVersion: d.policyVersion },
      };
    }
    default:
      return null;
  }
}

/**
 * Who hears about an event, on which channels: people (the owner and the
 * manager, the previous owner of a reassigned lead, only the rep's manager
 * for a rotation change; a ladder step as ESCALATION_AUDIENCE says) once each
 * per people channel; the queue's clocks also on the queue channel; the
 * after-hours acknowledgement only on the lead's channel.
 * Pure: the handler stores the plan, the worker delivers it.
 */
export function planNotifications(
  event: LeadEvent,
  options: { channels: readonly ChannelName[]; eventTypes: readonly NotifiableEventType[]; managerOf: ManagerOf; acknowledgementTemplate?: string },
): PlannedDelivery[] {
  const subject = subjectOf(event, options.managerOf, options.acknowledgementTemplate ?? DEFAULT_ACKNOWLEDGEMENT_TEMPLATE);
  if (!subject || !options.eventTypes.includes(subject.eventType)) return [];
  const seen = new Set<string>();
  const people = subject.recipients.flatMap((r): Recipient[] => {
    if (!r.repId || seen.has(r.repId)) return [];
    seen.add(r.repId);
    return [{ repId: r.repId, role: r.role }];
  });
  const targets: Array<{ channel: ChannelName; recipient: Recipient }> = [
    ...options.channels.filter((c) => PEOPLE_CHANNELS.includes(c)).flatMap((channel) => people.map((recipient) => ({ channel, recipient }))),
    ...(subject.queueTeamId && options.channels.includes('queue') ? [{ channel: 'queue' as const, recipient: { teamId: subject.queueTeamId, role: 'queue' as const } }] : []),
    ...(subject.toLead && event.leadId !== null && options.channels.includes('lead') ? [{ channel: 'lead' as const, recipient: { leadId: event.leadId, role: 'lead' as const } }] : []),
  ];
  return targets.map(({ channel, recipient }) => {
    const id = idOf(recipient);
    return {
      deliveryId: deterministicId(event.eventId, 'notification', channel, id),
      channel,
      recipient: id,
      role: recipient.role,
      payload: {
        kind: subject.kind,
        eventId: event.eventId,
        eventType: subject.eventType,
        leadId: event.leadId,
        occurredAt: event.occurredAt,
        recipient,
        text: subject.text(recipient.role),
        details: subject.details,
      },
    };
  });
}

function idOf(recipient: Recipient): string {
  switch (recipient.role) {
    case 'queue':
      return recipient.teamId;
    case 'lead':
      return recipient.leadId;
    default:
      return recipient.repId;
  }
}

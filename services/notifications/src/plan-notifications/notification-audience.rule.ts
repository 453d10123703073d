import type { EscalationAction } from '@lead-sla/contracts';
import { contactOf, teamContactOf, type PersonContact, type Policy } from '@lead-sla/policy';
import { quietHoursEnd } from './quiet-hours.rule';

/**
 * `slack`: a person's Slack user, a team's channel, or (without either) the
 * company-wide incoming webhook; `email`: a person's or a team's address over
 * SMTP; `webhook`: the signed generic webhook (one delivery per person, by id);
 * `queue`: the unassigned queue's own channel; `lead`: the lead itself (the
 * after-hours acknowledgement, through an email/SMS gateway).
 */
export type ChannelName = 'slack' | 'email' | 'webhook' | 'queue' | 'lead';
/** Delivery order of a plan: by channel, then by person. */
const CHANNEL_ORDER: readonly ChannelName[] = ['slack', 'email', 'webhook', 'queue', 'lead'];

export type PersonRole = 'owner' | 'manager' | 'previous_owner' | 'admin';
export type AudienceRole = PersonRole | 'team';
export type Recipient =
  | { readonly repId: string; readonly role: PersonRole }
  | { readonly teamId: string; readonly role: 'team' }
  | { readonly teamId: string; readonly role: 'queue' }
  | { readonly leadId: string; readonly role: 'lead' };
export type RecipientRole = Recipient['role'];

export type NotificationKind =
  | 'sla.warning'
  | 'sla.breached'
  | 'sla.escalated'
  | 'lead.reassigned'
  | 'rep.removed_from_rotation'
  | 'rep.reinstated'
  | 'lead.acknowledged'
  | 'digest.missed_sla'
  | 'digest.fallback_review';

/**
 * Who hears of each ladder step, by its action (issue: ladders that do what
 * they say): a reminder goes to the owner only; an escalation to the owner,
 * the manager and the team's channel; a reassignment step to them as well
 * (the LeadAssigned routing publishes then tells the new owner); a touch task
 * to the owner.
 */
export const ESCALATION_AUDIENCE: Readonly<Record<EscalationAction, readonly AudienceRole[]>> = {
  remind_owner: ['owner'],
  escalate_manager: ['owner', 'manager', 'team'],
  reassign: ['owner', 'manager', 'team'],
  schedule_touch_task: ['owner'],
};

/**
 * Who hears of every other notification type. Warnings are the owner's and
 * the manager's; what the team should see (breaches, reassignments, digests)
 * also goes to the team's channel; a rotation change only to the rep's manager;
 * an admin hears only of the company-wide fallback review.
 */
export const AUDIENCE: Readonly<Record<Exclude<NotificationKind, 'sla.escalated'>, readonly AudienceRole[]>> = {
  'sla.warning': ['owner', 'manager'],
  'sla.breached': ['owner', 'manager', 'team'],
  'lead.reassigned': ['owner', 'manager', 'previous_owner', 'team'],
  'rep.removed_from_rotation': ['manager'],
  'rep.reinstated': ['manager'],
  'lead.acknowledged': [],
  'digest.missed_sla': ['manager', 'team'],
  'digest.fallback_review': ['manager', 'admin', 'team'],
};

/** What the audience is drawn from: the people in each role, the team, the queue and the lead. */
export interface Notification {
  readonly kind: NotificationKind;
  /** The ladder step's action (sla.escalated only). */
  readonly action: EscalationAction | null;
  readonly people: Readonly<Partial<Record<PersonRole, string | null>>>;
  /** The team whose channel hears of it (when its audience includes the team). */
  readonly teamId: string | null;
  /** The unassigned queue's channel, for its clocks: the team the queue belongs to. */
  readonly queueTeamId: string | null;
  /** The lead's own channel (the after-hours acknowledgement). */
  readonly leadId: string | null;
}

/** Which transports are configured, and which Slack addresses they reach. */
export interface Routes {
  readonly channels: readonly ChannelName[];
  /** A bot token reaches every user and channel; incoming webhooks only the channels they were made for. */
  readonly slackReaches: (address: string) => boolean;
  /** The company-wide incoming webhook (NOTIFY_SLACK_WEBHOOK_URL): for people Slack cannot reach directly. */
  readonly slackCompanyWebhook: boolean;
}

export interface AudienceMember {
  readonly channel: ChannelName;
  readonly recipient: Recipient;
  /** Where on the channel: a Slack user or channel, an email address (a team: its list, comma-separated); null: the channel's one URL. */
  readonly address: string | null;
  /** The person's directory contact (preferences, zone), for quiet hours. */
  readonly contact: PersonContact | null;
}

export function rolesOf(n: Pick<Notification, 'kind' | 'action'>): readonly AudienceRole[] {
  if (n.kind === 'sla.escalated') return n.action ? ESCALATION_AUDIENCE[n.action] : [];
  return AUDIENCE[n.kind];
}

/** The stable id of a recipient in the delivery key (event, channel, recipient). */
export function recipientIdOf(recipient: Recipient): string {
  switch (recipient.role) {
    case 'team':
      return `team:${recipient.teamId}`;
    case 'queue':
      return recipient.teamId;
    case 'lead':
      return recipient.leadId;
    default:
      return recipient.repId;
  }
}

/** A person's own channels: each they want and have an address for and the platform can reach. */
function personalChannels(contact: PersonContact | null, routes: Routes): Array<{ channel: ChannelName; address: string }> {
  if (!contact) return [];
  return contact.channels.flatMap((channel): Array<{ channel: ChannelName; address: string }> => {
    if (channel === 'slack' && contact.slack && routes.channels.includes('slack') && routes.slackReaches(contact.slack)) return [{ channel, address: contact.slack }];
    if (channel === 'email' && contact.email && routes.channels.includes('email')) return [{ channel, address: contact.email }];
    return [];
  });
}

/**
 * Who hears of a notification, where (pure; the policy in force is passed in):
 * each person of its audience (AUDIENCE / ESCALATION_AUDIENCE) once per channel
 * — on their own Slack and/or email from the directory as they prefer, else on
 * the company-wide Slack webhook as before the directory, and on the signed
 * generic webhook by id; the team's Slack channel and mailing list when the
 * audience includes the team; the queue and lead channels as before.
 */
export function audienceOf(n: Notification, policy: Policy, routes: Routes): AudienceMember[] {
  const roles = rolesOf(n);
  const members: AudienceMember[] = [];
  const seen = new Set<string>();
  for (const role of roles) {
    if (role === 'team') continue;
    const repId = n.people[role];
    if (!repId || seen.has(repId)) continue;
    seen.add(repId);
    const recipient: Recipient = { repId, role };
    const contact = contactOf(policy, repId);
    const own = personalChannels(contact, routes);
    for (const o of own) members.push({ ...o, recipient, contact });
    if (own.length === 0 && routes.channels.includes('slack') && routes.slackCompanyWebhook) members.push({ channel: 'slack', recipient, address: null, contact });
    if (routes.channels.includes('webhook')) members.push({ channel: 'webhook', recipient, address: null, contact });
  }
  const team = roles.includes('team') && n.teamId ? teamContactOf(policy, n.teamId) : null;
  if (team) {
    const recipient: Recipient = { teamId: team.id, role: 'team' };
    if (team.slack && routes.channels.includes('slack') && routes.slackReaches(team.slack)) members.push({ channel: 'slack', recipient, address: team.slack, contact: null });
    if (team.email.length > 0 && routes.channels.includes('email')) members.push({ channel: 'email', recipient, address: team.email.join(', '), contact: null });
  }
  if (n.queueTeamId && routes.channels.includes('queue')) members.push({ channel: 'queue', recipient: { teamId: n.queueTeamId, role: 'queue' }, address: null, contact: null });
  if (n.leadId && routes.channels.includes('lead')) members.push({ channel: 'lead', recipient: { leadId: n.leadId, role: 'lead' }, address: null, contact: null });
  return members.sort((a, b) => CHANNEL_ORDER.indexOf(a.channel) - CHANNEL_ORDER.indexOf(b.channel));
}

/**
 * The manager override, defined once: a breach or ladder step told to a
 * manager is an escalation, and it reaches the manager during their quiet
 * hours unless they chose `escalations: hold`.
 */
export function isEscalationToManager(kind: NotificationKind, role: RecipientRole): boolean {
  return role === 'manager' && (kind === 'sla.breached' || kind === 'sla.escalated');
}

/**
 * When a delivery due at `now` goes out (epoch ms): a person's own Slack or
 * email waits for the end of their quiet hours (in their zone), except an
 * escalation to a manager who has not asked to hold those; team channels, the
 * company webhook and the generic webhook are not a person's and never wait.
 */
export function deliveryTimeOf(member: AudienceMember, kind: NotificationKind, now: number): number {
  const quiet = member.contact?.quietHours;
  if (!quiet || member.address === null || (member.channel !== 'slack' && member.channel !== 'email')) return now;
  if (isEscalationToManager(kind, member.recipient.role) && quiet.escalations === 'deliver') return now;
  return quietHoursEnd(now, quiet, member.contact!.timeZone);
}

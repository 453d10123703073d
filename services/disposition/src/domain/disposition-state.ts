import { initialContactState, type ContactState } from './contact-state';
import type { InputEvent, Refusal } from './decision';

/** A refusal to log, with the contact key to keep out of the log line. */
export interface NotedRefusal {
  readonly refusal: Refusal;
  readonly contactKey: string | null;
}

/**
 * The state one batch works on: the contact states of the batch's leads,
 * the leadId → contactKey index of their leads, and the refusals decided so
 * far (they have no event of their own, so the service logs them once the
 * batch commits).
 */
export interface DispositionState {
  /** By contact key (an orphan key for a lead never created here). */
  readonly contacts: Readonly<Record<string, ContactState>>;
  readonly leadContacts: Readonly<Record<string, string>>;
  readonly refusals: readonly NotedRefusal[];
}

/**
 * Events of a lead this service never saw created (e.g. ConsentWithdrawn
 * first) still need a state to be decided on: it lives under a key derived
 * from the lead, so the decision is kept rather than dropped.
 */
export function orphanKey(leadId: string): string {
  return `lead:${leadId}`;
}

function isOrphanKey(contactKey: string): boolean {
  return contactKey.startsWith('lead:');
}

/** The state built from loaded contacts: the lead index is every lead they hold. */
export function dispositionStateOf(contacts: readonly ContactState[], keys: readonly string[]): DispositionState {
  const byKey: Record<string, ContactState> = {};
  const leadContacts: Record<string, string> = {};
  contacts.forEach((contact, i) => {
    byKey[keys[i]] = contact;
    for (const leadId of Object.keys(contact.leads)) leadContacts[leadId] = keys[i];
  });
  return { contacts: byKey, leadContacts, refusals: [] };
}

/** The contact an input belongs to: the indexed one, a LeadCreated's own, else the lead's orphan key. */
export function contactKeyFor(state: DispositionState, input: InputEvent): string {
  const known = state.leadContacts[input.leadId];
  if (known) return known;
  if (input.type === 'LeadCreated') return input.data.contact.contactKey;
  return orphanKey(input.leadId);
}

export function contactAt(state: DispositionState, contactKey: string): ContactState {
  return state.contacts[contactKey] ?? initialContactState(isOrphanKey(contactKey) ? null : contactKey);
}

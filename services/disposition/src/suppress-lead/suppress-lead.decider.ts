import { emission, type Emission } from '@lead-sla/decider';
import type { ContactState } from '../domain/contact-state';
import { nothing, refuse, type DeciderContext, type Decision, type InputEvent, type Refusal } from '../domain/decision';
import { describeSuppression } from './suppression.util';

export interface SuppressionSpec {
  readonly cause: 'disposition' | 'consent_withdrawn';
  readonly code: string | null;
  readonly reason: string | null;
}

/**
 * LeadSuppressed for `leadId` first, then for every other lead of the
 * contact not yet suppressed: suppression is about the person, so a
 * recycled lead of the same contact must never re-qualify either.
 */
export function suppressContact(
  state: ContactState,
  leadId: string,
  spec: SuppressionSpec,
  ctx: DeciderContext,
): Emission[] {
  const others = Object.values(state.leads)
    .filter((l) => l.leadId !== leadId && !l.suppressed)
    .map((l) => l.leadId);
  const data = { ...spec, policyVersion: ctx.policy.version };
  return [
    emission('LeadSuppressed', 'suppress', data, leadId),
    ...others.map((other) => emission('LeadSuppressed', `suppress:${other}`, data, other)),
  ];
}

/** ConsentWithdrawn suppresses for good, even for a lead this service has not seen. */
export function decideConsentWithdrawn(state: ContactState, event: InputEvent<'ConsentWithdrawn'>, ctx: DeciderContext): Decision {
  const lead = state.leads[event.leadId];
  const everyLeadSuppressed = Object.values(state.leads).every((l) => l.suppressed);
  if (state.suppression && lead?.suppressed && everyLeadSuppressed) return nothing;
  // Partial withdrawal (some channels only) is treated as full: the safe side of consent law.
  const reason = event.data.detail ?? (event.data.channels ? `consent withdrawn for ${event.data.channels.join(', ')}` : null);
  return { emit: suppressContact(state, event.leadId, { cause: 'consent_withdrawn', code: null, reason }, ctx), refusal: null };
}

/**
 * A new LeadCreated for a suppressed contact is suppressed on arrival: the
 * emitted LeadSuppressed (same partition as the new lead, right behind its
 * LeadCreated) tells routing to drop or release it, and the refusal says why.
 */
export function decideLeadOfSuppressedContact(
  state: ContactState,
  event: InputEvent<'LeadCreated'>,
  ctx: DeciderContext,
): Decision | null {
  const s = state.suppression;
  if (!s) return null;
  const reason = `contact "${event.data.contact.contactKey}" is suppressed (${describeSuppression(s)}): a new lead for it is never routed`;
  return {
    emit: [
      emission('LeadSuppressed', 'suppress', { cause: s.cause, code: s.code, reason, policyVersion: ctx.policy.version }, event.leadId),
    ],
    refusal: refuse(event, null, [reason], ctx.policy.version),
  };
}

/**
 * The refusal for an event that would route, touch or work a suppressed
 * lead (`action` says what, e.g. 'the phone touch by rep "ava"'); null when
 * the lead is not suppressed.
 */
export function suppressedRefusal(
  state: ContactState,
  event: InputEvent,
  repId: string | null,
  action: string,
  ctx: DeciderContext,
): Refusal | null {
  // Suppression is about the person: every lead of a suppressed contact is refused.
  const s = state.suppression;
  if (!s) return null;
  return refuse(event, repId, [`lead "${event.leadId}" is suppressed (${describeSuppression(s)}): ${action} is refused`], ctx.policy.version);
}

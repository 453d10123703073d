import type { Channel } from '@lead-sla/contracts';
import { emission, type Emission } from '@lead-sla/decider';
import type { ContactState, LeadState } from '../domain/contact-state';
import { nothing, type DeciderContext, type Decision, type InputEvent } from '../domain/decision';
import { suppressedRefusal } from '../suppress-lead/suppress-lead.decider';

export function cleanupRequest(
  leadId: string,
  channel: Channel,
  ownerRepId: string | null,
  detail: string | null,
): Emission<'DataCleanupRequested'> {
  return emission('DataCleanupRequested', 'data-cleanup', { channel, ownerRepId, detail }, leadId);
}

/**
 * A "bad data" disposition names no channel (LeadDispositioned has none), so
 * the request points at the channel most recently bounced, else the lead's
 * first channel; the rep's reason travels in `detail` for the data desk.
 */
export function badDataChannel(lead: LeadState): Channel {
  return lead.bouncedChannels[lead.bouncedChannels.length - 1] ?? lead.channels[0] ?? 'email';
}

/**
 * ContactBounced → DataCleanupRequested with the active owner, so routing
 * can move the lead to the data desk and back when fixed. Refused for a
 * suppressed lead: cleanup would route it.
 */
export function decideBounced(state: ContactState, event: InputEvent<'ContactBounced'>, ctx: DeciderContext): Decision {
  const refusal = suppressedRefusal(state, event, null, `data cleanup of its ${event.data.channel}`, ctx);
  if (refusal) return { emit: [], refusal };
  const owner = state.leads[event.leadId]?.ownerRepId ?? null;
  return { emit: [cleanupRequest(event.leadId, event.data.channel, owner, event.data.detail ?? null)], refusal: null };
}

/** ContactFixed needs only state (routing moves the lead back); refused for a suppressed lead. */
export function decideFixed(state: ContactState, event: InputEvent<'ContactFixed'>, ctx: DeciderContext): Decision {
  const refusal = suppressedRefusal(state, event, event.data.fixedBy ?? null, `moving it back to an owner after the ${event.data.channel} fix`, ctx);
  return refusal ? { emit: [], refusal } : nothing;
}

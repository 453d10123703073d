import type { ContactState, LeadState } from './contact-state';

export function leadOf(state: ContactState, leadId: string): LeadState | undefined {
  return state.leads[leadId];
}

export function unknownLeadProblem(leadId: string): string {
  return `lead "${leadId}" is unknown to the disposition service (no LeadCreated on record)`;
}

/** Only the current owner may close out, accept or reject a lead. */
export function ownerProblem(lead: LeadState, repId: string): string | null {
  if (lead.ownerRepId === repId) return null;
  if (lead.ownerRepId === null) {
    const why = lead.recycled ? ` (it is in nurture track "${lead.recycled.nurtureTrack}")` : '';
    return `rep "${repId}" is not the current owner of lead "${lead.leadId}": the lead has no owner${why}`;
  }
  return `rep "${repId}" is not the current owner of lead "${lead.leadId}" (the owner is "${lead.ownerRepId}")`;
}

const DAY_MS = 86_400_000;

export function addDays(at: Date, days: number): string {
  return new Date(at.getTime() + days * DAY_MS).toISOString();
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

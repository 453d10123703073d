import type { FunnelStage } from '@lead-sla/contracts';
import type { Emission } from '@lead-sla/decider';
import type { ContactState, LeadState } from '../domain/contact-state';
import { refuse, type DeciderContext, type Decision, type InputEvent } from '../domain/decision';
import { leadOf, ownerProblem, unknownLeadProblem } from '../domain/lead-checks.util';
import { recycleEmissions, REJECTED_MQL_RECYCLE } from '../recycle-lead/recycle-lead.decider';
import { suppressedRefusal } from '../suppress-lead/suppress-lead.decider';
import { stageChange } from './stage-change.util';

const FUNNEL: readonly FunnelStage[] = ['inquiry', 'mql', 'sal', 'sql', 'opportunity'];

/**
 * A created lead enters as an MQL: leads reach this platform from marketing
 * automation after marketing qualified them, so inquiry → MQL happens on
 * arrival and the SAL decision (accept/reject) applies to every lead.
 */
export function createdStages(event: InputEvent<'LeadCreated'>): Emission[] {
  return [stageChange(event.leadId, 'inquiry', 'mql', null, `lead created from source "${event.data.source}"`)];
}

/**
 * A "qualify" disposition moves the lead to SQL, stepping through the
 * stages it skipped (qualifying an MQL implies accepting it) so funnel
 * rates stay consistent; qualifying an SQL again marks the opportunity,
 * since the platform has no CRM opportunity feed.
 */
export function qualifyStages(lead: LeadState, repId: string, code: string): Emission[] {
  const from = FUNNEL.indexOf(lead.stage);
  const target = lead.stage === 'sql' ? 'opportunity' : 'sql';
  const to = FUNNEL.indexOf(target);
  const out: Emission[] = [];
  for (let i = from; i < to; i++) {
    const reason = i + 1 === to ? `disposition "${code}"` : `implied by disposition "${code}"`;
    out.push(stageChange(lead.leadId, FUNNEL[i], FUNNEL[i + 1], repId, reason));
  }
  return out;
}

type SalDecision = InputEvent<'LeadAccepted'> | InputEvent<'LeadRejected'>;

function salProblems(state: ContactState, event: SalDecision, verb: string): string[] {
  const lead = leadOf(state, event.leadId);
  if (!lead) return [unknownLeadProblem(event.leadId)];
  const problems: string[] = [];
  const notOwner = ownerProblem(lead, event.data.repId);
  if (notOwner) problems.push(notOwner);
  if (lead.stage !== 'mql') problems.push(`lead "${event.leadId}" is at stage ${lead.stage}: only an MQL can be ${verb}`);
  return problems;
}

/** LeadAccepted: MQL → SAL, by the owner only. */
export function decideAccepted(state: ContactState, event: InputEvent<'LeadAccepted'>, ctx: DeciderContext): Decision {
  const suppressed = suppressedRefusal(state, event, event.data.repId, `accepting it (rep "${event.data.repId}")`, ctx);
  if (suppressed) return { emit: [], refusal: suppressed };
  const problems = salProblems(state, event, 'accepted');
  if (problems.length) return { emit: [], refusal: refuse(event, event.data.repId, problems, ctx.policy.version) };
  return { emit: [stageChange(event.leadId, 'mql', 'sal', event.data.repId, 'accepted by the owner')], refusal: null };
}

/**
 * LeadRejected: the MQL goes back to marketing with the reason — stage back
 * to inquiry — and is recycled (signal-only) so routing frees the owner's
 * capacity and a new intent signal can bring it back.
 */
export function decideRejected(state: ContactState, event: InputEvent<'LeadRejected'>, ctx: DeciderContext): Decision {
  const suppressed = suppressedRefusal(state, event, event.data.repId, `rejecting it (rep "${event.data.repId}")`, ctx);
  if (suppressed) return { emit: [], refusal: suppressed };
  const problems = salProblems(state, event, 'rejected');
  const lead = leadOf(state, event.leadId);
  if (problems.length || !lead) return { emit: [], refusal: refuse(event, event.data.repId, problems, ctx.policy.version) };
  return {
    emit: recycleEmissions(lead, { ...REJECTED_MQL_RECYCLE, reason: event.data.reason }, event.data.repId, ctx),
    refusal: null,
  };
}

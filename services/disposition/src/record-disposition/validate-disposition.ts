import type { LeadDispositionedData } from '@lead-sla/contracts';
import type { ContactState, LeadState } from '../domain/contact-state';
import type { DeciderContext } from '../domain/decision';
import { leadOf, ownerProblem, unknownLeadProblem } from '../domain/lead-checks.util';
import { describeSuppression } from '../suppress-lead/suppression.util';
import { dispositionCatalogue, type DispositionRule } from './disposition-catalogue';
import { minimumEffortProblem } from './minimum-effort';

export type DispositionValidation =
  | { readonly ok: true; readonly rule: DispositionRule; readonly lead: LeadState }
  | { readonly ok: false; readonly problems: readonly string[] };

function blank(text: string | undefined): boolean {
  return text === undefined || text.trim() === '';
}

/**
 * Checks a disposition against the policy and the lead, naming every
 * problem found. Pure: the same function backs the LeadDispositioned
 * consumer (→ DispositionRejected) and an HTTP endpoint (→ 422).
 */
export function validateDisposition(
  state: ContactState,
  leadId: string,
  request: LeadDispositionedData,
  ctx: DeciderContext,
): DispositionValidation {
  const problems: string[] = [];
  const catalogue = dispositionCatalogue(ctx.policy.dispositions);
  const rule = catalogue.get(request.code);
  const lead = leadOf(state, leadId);

  if (!lead) problems.push(unknownLeadProblem(leadId));
  const suppressed = lead?.suppressed || state.suppression !== null;
  if (lead && suppressed && state.suppression) {
    problems.push(`lead "${leadId}" is suppressed (${describeSuppression(state.suppression)}): no disposition can be applied`);
  }
  if (lead && !suppressed) {
    const notOwner = ownerProblem(lead, request.repId);
    if (notOwner) problems.push(notOwner);
  }

  if (!rule) {
    problems.push(`unknown disposition code "${request.code}"; known codes: ${[...catalogue.keys()].join(', ')}`);
  } else {
    if (rule.requiresReason && blank(request.reason)) problems.push(`code "${rule.code}" requires a reason`);
    if (rule.requiresNextStep && blank(request.nextStep)) problems.push(`code "${rule.code}" requires a next step`);
    if (lead && !suppressed && rule.requiresMinimumEffort) {
      const effort = minimumEffortProblem(rule.code, lead, ctx.policy.dispositions.minimumEffort, ctx.now);
      if (effort) problems.push(effort);
    }
    if (lead && rule.effect.kind === 'qualify' && lead.stage === 'opportunity') {
      problems.push(`lead "${leadId}" is already an opportunity: code "${rule.code}" cannot move it further`);
    }
  }

  if (problems.length > 0 || !rule || !lead) return { ok: false, problems };
  return { ok: true, rule, lead };
}

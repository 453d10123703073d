import { assertNever } from '@lead-sla/contracts';
import { emission, type Emission } from '@lead-sla/decider';
import type { ContactState } from '../domain/contact-state';
import { refuse, type DeciderContext, type Decision, type InputEvent } from '../domain/decision';
import { badDataChannel, cleanupRequest } from '../data-cleanup/data-cleanup.decider';
import { qualifyStages } from '../funnel-stage/funnel-stage.decider';
import { recycleEmissions } from '../recycle-lead/recycle-lead.decider';
import { suppressContact } from '../suppress-lead/suppress-lead.decider';
import { validateDisposition } from './validate-disposition';

/**
 * LeadDispositioned: validated against the policy and the lead; a refused
 * disposition becomes DispositionRejected naming every problem, an
 * accepted one emits what its code's outcome calls for.
 */
export function decideDisposition(state: ContactState, event: InputEvent<'LeadDispositioned'>, ctx: DeciderContext): Decision {
  const d = event.data;
  const validation = validateDisposition(state, event.leadId, d, ctx);
  if (!validation.ok) {
    const rejected = emission(
      'DispositionRejected',
      'reject-disposition',
      { repId: d.repId, code: d.code, dispositionEventId: event.eventId, problems: [...validation.problems], policyVersion: ctx.policy.version },
      event.leadId,
    );
    return { emit: [rejected], refusal: refuse(event, d.repId, validation.problems, ctx.policy.version) };
  }

  const { rule, lead } = validation;
  const reason = d.reason?.trim() || null;
  const effect = rule.effect;
  let emit: Emission[];
  switch (effect.kind) {
    case 'none':
      emit = [];
      break;
    case 'qualify':
      emit = qualifyStages(lead, d.repId, rule.code);
      break;
    case 'recycle':
      emit = recycleEmissions(lead, { code: rule.code, reason, ...effect }, d.repId, ctx);
      break;
    case 'suppress':
      emit = suppressContact(state, lead.leadId, { cause: 'disposition', code: rule.code, reason }, ctx);
      break;
    case 'data_cleanup': {
      const detail = `disposition "${rule.code}" by rep "${d.repId}"${reason ? `: ${reason}` : ''}`;
      emit = [cleanupRequest(lead.leadId, badDataChannel(lead), lead.ownerRepId, detail)];
      break;
    }
    default:
      return assertNever(effect, 'disposition effect');
  }
  const recorded = emission(
    'DispositionRecorded',
    'record-disposition',
    { repId: d.repId, code: rule.code, dispositionEventId: event.eventId, closes: rule.closes, outcome: effect.kind, policyVersion: ctx.policy.version },
    event.leadId,
  );
  return { emit: [recorded, ...emit], refusal: null };
}

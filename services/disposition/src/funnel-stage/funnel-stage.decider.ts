import { UNCODED_REJECT_REASON, type FunnelStage } from '@lead-sla/contracts';
import { emission, type Emission } from '@lead-sla/decider';
import { directoryAdmins } from '@lead-sla/policy';
import type { ContactState, LeadState } from '../domain/contact-state';
import { refuse, type DeciderContext, type Decision, type InputEvent } from '../domain/decision';
import { leadOf, unknownLeadProblem } from '../domain/lead-checks.util';
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

type SalRequest = InputEvent<'LeadAccepted'> | InputEvent<'LeadRejected'>;

/** Why a SAL request is refused: the HTTP status follows the kind (403, 409, 422). */
export type SalRefusalKind = 'forbidden' | 'conflict' | 'invalid';

export interface SalCheck {
  readonly kind: SalRefusalKind | null;
  readonly problems: readonly string[];
}

/** The owner's manager per the policy; an owner missing from this policy version (version skew) has none, admins still may act. */
function managerOf(owner: string, ctx: DeciderContext): string | null {
  const rep = ctx.policy.reps.find((r) => r.id === owner);
  return rep ? (rep.managerId ?? ctx.policy.teams.find((t) => t.id === rep.teamId)?.managerId ?? null) : null;
}

/**
 * An admin: a person the directory marks `admin: true` (looked up by id, so a
 * request's claimed role cannot make one), or an admin API key or the demo
 * user, as the HTTP layer verified them (`actor`).
 */
function isAdmin(event: SalRequest, ctx: DeciderContext): boolean {
  const { repId, actor } = event.data;
  if (directoryAdmins(ctx.policy).includes(repId)) return true;
  return actor !== null && actor.kind !== 'person' && actor.role === 'admin' && actor.id === repId;
}

function forbiddenProblem(lead: LeadState, event: SalRequest, verb: string, ctx: DeciderContext): string | null {
  const owner = lead.ownerRepId;
  const actor = event.data.repId;
  if (owner === null || actor === owner) return null;
  const manager = managerOf(owner, ctx);
  if (actor === manager || isAdmin(event, ctx)) return null;
  const who = [`its owner "${owner}"`, ...(manager ? [`the owner's manager "${manager}"`] : []), 'an admin of the policy'];
  return `rep "${actor}" may not ${verb} lead "${lead.leadId}": only ${who.slice(0, -1).join(', ')} or ${who.at(-1)} may`;
}

function reasonProblems(event: InputEvent<'LeadRejected'>, ctx: DeciderContext): string[] {
  const { reasonCode, reason } = event.data;
  // A v1 request (before reason codes) is read as "uncoded": applied as it was then, with its free text.
  if (reasonCode === UNCODED_REJECT_REASON) return [];
  const known = ctx.policy.dispositions.rejectReasons;
  const rule = known.find((r) => r.code === reasonCode);
  if (!rule) return [`unknown reject reason "${reasonCode}"; the policy's reasons: ${known.map((r) => r.code).join(', ')}`];
  if (rule.requiresText && !reason?.trim()) return [`reject reason "${reasonCode}" needs a few words of explanation in "reason"`];
  return [];
}

/**
 * Checks an accept/reject request on the lead and the policy, naming every
 * problem; the kind is the gravest one found (forbidden, then conflict,
 * then invalid). The same check backs the event path and HTTP's dry run.
 */
export function checkSalRequest(state: ContactState, event: SalRequest, ctx: DeciderContext): SalCheck {
  const verb = event.type === 'LeadAccepted' ? 'accept' : 'reject';
  const actor = event.data.repId;
  const suppressed = suppressedRefusal(state, event, actor, `${verb === 'accept' ? 'accepting' : 'rejecting'} it (rep "${actor}")`, ctx);
  if (suppressed) return { kind: 'conflict', problems: suppressed.problems };
  const lead = leadOf(state, event.leadId);
  if (!lead) return { kind: 'conflict', problems: [unknownLeadProblem(event.leadId)] };
  const forbidden = forbiddenProblem(lead, event, verb, ctx);
  const conflicts: string[] = [];
  if (lead.ownerRepId === null) conflicts.push(noOwnerProblem(lead, verb));
  if (lead.stage !== 'mql') conflicts.push(`lead "${event.leadId}" is at stage ${lead.stage}: only an MQL can be ${verb}ed`);
  const invalid = event.type === 'LeadRejected' ? reasonProblems(event, ctx) : [];
  const problems = [...(forbidden ? [forbidden] : []), ...conflicts, ...invalid];
  const kind = forbidden ? 'forbidden' : conflicts.length ? 'conflict' : invalid.length ? 'invalid' : null;
  return { kind, problems };
}

function noOwnerProblem(lead: LeadState, verb: string): string {
  const why = lead.recycled ? ` (it is in nurture track "${lead.recycled.nurtureTrack}")` : '';
  return `lead "${lead.leadId}" has no owner${why}: nobody can ${verb} it until routing assigns one`;
}

function refused(event: SalRequest, check: SalCheck & { kind: SalRefusalKind }, ctx: DeciderContext): Decision {
  const data = {
    decision: event.type === 'LeadAccepted' ? ('accepted' as const) : ('rejected' as const),
    repId: event.data.repId,
    requestEventId: event.eventId,
    kind: check.kind,
    problems: [...check.problems],
    policyVersion: ctx.policy.version,
  };
  return { emit: [emission('SalDecisionRefused', 'sal-refused', data, event.leadId)], refusal: refuse(event, event.data.repId, check.problems, ctx.policy.version) };
}

function recorded(event: SalRequest, owner: string, ctx: DeciderContext): Emission<'SalDecisionRecorded'> {
  const rejection = event.type === 'LeadRejected' ? event.data : null;
  return emission(
    'SalDecisionRecorded',
    'sal-decision',
    {
      decision: rejection ? 'rejected' : 'accepted',
      repId: event.data.repId,
      ownerRepId: owner,
      requestEventId: event.eventId,
      reasonCode: rejection?.reasonCode ?? null,
      reason: rejection?.reason?.trim() || null,
      policyVersion: ctx.policy.version,
    },
    event.leadId,
  );
}

function byWhom(lead: LeadState, actor: string): string {
  return actor === lead.ownerRepId ? 'the owner' : `"${actor}" for the owner "${lead.ownerRepId}"`;
}

/** LeadAccepted: MQL → SAL, decided by the owner, the owner's manager or an admin; the verdict stops the accept/reject clock. */
export function decideAccepted(state: ContactState, event: InputEvent<'LeadAccepted'>, ctx: DeciderContext): Decision {
  const check = checkSalRequest(state, event, ctx);
  const lead = leadOf(state, event.leadId);
  if (check.kind !== null || !lead?.ownerRepId) return refused(event, { ...check, kind: check.kind ?? 'conflict' }, ctx);
  const actor = event.data.repId;
  return { emit: [recorded(event, lead.ownerRepId, ctx), stageChange(event.leadId, 'mql', 'sal', actor, `accepted by ${byWhom(lead, actor)}`)], refusal: null };
}

/**
 * LeadRejected: the MQL goes back to marketing with the policy's reason
 * code — stage back to inquiry — and is recycled (signal-only) so routing
 * frees the owner's capacity and a new intent signal can bring it back.
 */
export function decideRejected(state: ContactState, event: InputEvent<'LeadRejected'>, ctx: DeciderContext): Decision {
  const check = checkSalRequest(state, event, ctx);
  const lead = leadOf(state, event.leadId);
  if (check.kind !== null || !lead?.ownerRepId) return refused(event, { ...check, kind: check.kind ?? 'conflict' }, ctx);
  const { reasonCode, reason } = event.data;
  const text = reason?.trim() ? `${reasonCode}: ${reason.trim()}` : reasonCode;
  return {
    emit: [recorded(event, lead.ownerRepId, ctx), ...recycleEmissions(lead, { ...REJECTED_MQL_RECYCLE, reason: text }, event.data.repId, ctx)],
    refusal: null,
  };
}

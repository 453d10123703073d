import type { DecisionLogEntry, LeadRoutingState } from '../domain/routing-state.types';

export type DecisionRecord = DecisionLogEntry;

interface Skipped {
  readonly repId: string;
  readonly reason: string;
}

const REASON_TEXT: Readonly<Record<string, string>> = {
  rule: 'round robin in the pool its routing rule picked',
  account_owner: "its company's account owner",
  duplicate: "the current owner of the same contact's recent lead (duplicate window)",
  overflow: 'overflow: every rep of its own pool was skipped, so a backup pool took it',
  reassignment: 'SLA fallback reassignment',
  requalified: 're-qualified after recycling',
  queue_drain: 'drained from the unassigned queue once someone could take it',
  data_cleanup: 'bad contact data: moved to the data-cleanup owner',
  data_fixed: 'contact data fixed: back to the active owner',
};

function skippedText(skipped: readonly Skipped[]): string {
  return skipped.length === 0 ? 'nobody was skipped' : `skipped: ${skipped.map((s) => `${s.repId} (${s.reason})`).join(', ')}`;
}

/**
 * Notes written before they stopped naming the contact still carry its key
 * (usually an email): the answer masks it, in the summary and the decisions.
 */
function withoutContact(decision: DecisionRecord, contactKey: string): DecisionRecord {
  if (contactKey === '') return decision;
  const data = Object.fromEntries(Object.entries(decision.data).map(([k, v]) => [k, typeof v === 'string' ? v.split(contactKey).join('[contact]') : v]));
  return { ...decision, data };
}

/**
 * "Why was lead X assigned to Y": the latest assignment decision with its
 * rule, pool and skipped reps, the policy version it was made under, the
 * owner history and every decision in order, never the contact key. Pure,
 * so it is unit-tested.
 */
export function explainAssignment(leadId: string, status: string, lead: LeadRoutingState, log: readonly DecisionRecord[], queuedAt: string | null) {
  const decisions = log.map((d) => withoutContact(d, lead.contactKey));
  const assignments = decisions.filter((d) => d.kind === 'LeadAssigned');
  const latest = assignments.length > 0 ? assignments[assignments.length - 1] : null;
  const lastNote = [...decisions].reverse().find((d) => d.kind === 'Note');
  const lastQueued = [...decisions].reverse().find((d) => d.kind === 'LeadQueued');
  let summary: string;
  if (latest && lead.ownerRepId !== null) {
    const d = latest.data as { repId: string; ruleId: string | null; poolId: string; reason: string; skipped: Skipped[]; policyVersion: string; reassignmentCause: string | null };
    summary =
      `Lead ${leadId} is owned by ${d.repId}: ${REASON_TEXT[d.reason] ?? d.reason}` +
      ` (rule ${d.ruleId ?? 'none: default pool'}, pool ${d.poolId})` +
      `${d.reassignmentCause ? `, because ${d.reassignmentCause}` : ''}; ${skippedText(d.skipped)}. Policy version ${d.policyVersion}.`;
  } else if (status === 'queued' && lastQueued) {
    const d = lastQueued.data as { cause: string; skipped: Skipped[]; policyVersion: string };
    summary = `Lead ${leadId} waits in the unassigned queue since ${queuedAt ?? lastQueued.decidedAt}: ${d.cause}; ${skippedText(d.skipped)}. Policy version ${d.policyVersion}.`;
  } else {
    summary = `Lead ${leadId} has no owner (${status})${lastNote ? `: ${String(lastNote.data.note)}` : ''}.`;
  }
  const data = (latest?.data ?? {}) as Record<string, unknown>;
  return {
    leadId,
    status,
    summary,
    ownerRepId: lead.ownerRepId,
    rule: latest ? (data.ruleId ?? null) : lead.ruleId,
    pool: latest ? data.poolId : lead.poolId,
    reason: latest ? data.reason : null,
    reassignment: latest ? data.reassignment : false,
    reassignmentCause: latest ? data.reassignmentCause : null,
    previousRepId: latest ? data.previousRepId : null,
    skipped: latest ? data.skipped : [],
    policyVersion: latest ? data.policyVersion : ((lastQueued?.data.policyVersion as string | undefined) ?? null),
    queuedAt,
    owners: lead.ownerHistory,
    // A decision names its cause by event id (all its event carries); a note also by the type of the fact that wrote it.
    decisions: decisions.map((d) => ({
      kind: d.kind,
      eventId: d.eventId,
      decidedAt: d.decidedAt,
      cause: d.causeType === undefined ? { eventId: d.causeEventId } : { type: d.causeType, eventId: d.causeEventId },
      ...d.data,
    })),
  };
}

export type AssignmentExplanation = ReturnType<typeof explainAssignment>;

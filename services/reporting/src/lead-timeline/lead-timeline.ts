import type { LeadRow } from '../projections/lead-row.projection';

/** One dated milestone of a lead's life, for the timeline view. */
export interface TimelineEntry {
  readonly at: string;
  readonly what: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

/**
 * The milestones of a lead row in time order (pure). Clock instances and
 * breaches, with their math, are listed beside it by the controller.
 */
export function timelineOf(row: LeadRow): TimelineEntry[] {
  const out: TimelineEntry[] = [];
  const add = (at: string | null, what: string, detail: Record<string, unknown> = {}) => {
    if (at !== null) out.push({ at, what, detail });
  };
  add(row.createdAt, 'created', { source: row.source, segment: row.segment, territory: row.territory, tier: row.tier, vip: row.vip });
  add(row.acknowledgedAt, 'acknowledged after hours', { coverageStart: row.coverageStart });
  add(row.queuedAt, 'queued (no rep available)');
  for (const o of row.owners) {
    // An SLA fallback (reassignment: true) or a manager's choice (reason "reassignment", not a fallback): both move the lead.
    add(o.at, o.reassignment || o.reason === 'reassignment' ? 'reassigned' : 'assigned', { repId: o.repId, teamId: o.teamId, poolId: o.poolId, ruleId: o.ruleId, reason: o.reason, previousRepId: o.previousRepId, cause: o.cause });
  }
  if (row.firstTouch) add(row.firstTouch.at, 'first owned touch', { repId: row.firstTouch.repId, channel: row.firstTouch.channel });
  if (row.secondTouch) add(row.secondTouch.at, 'second owned touch', { repId: row.secondTouch.repId, channel: row.secondTouch.channel });
  add(row.contactedAt, 'contacted');
  add(row.acceptedAt, 'accepted', { by: row.acceptedBy });
  add(row.rejectedAt, 'rejected', { by: row.rejectedBy, reason: row.rejectReason });
  for (const s of row.stageChanges) add(s.at, 'stage changed', { from: s.from, to: s.to, by: s.by, reason: s.reason });
  for (const d of row.dispositions) {
    add(d.at, 'dispositioned', { repId: d.repId, code: d.code, reason: d.reason, nextStep: d.nextStep, rejectedAt: d.rejectedAt, problems: d.problems });
  }
  add(row.recycledAt, 'recycled', { nurtureTrack: row.nurtureTrack, times: row.recycleCount });
  add(row.requalifiedAt, 're-qualified', { times: row.requalifyCount });
  add(row.suppressedAt, 'suppressed', { cause: row.suppressionCause });
  add(row.consentWithdrawnAt, 'consent withdrawn');
  add(row.dataCleanupRequestedAt, 'data cleanup requested', { bouncedChannels: row.bouncedChannels });
  for (const [clock, o] of Object.entries(row.sla)) {
    add(o.breachedAt, 'SLA breached', { clock, deadline: o.deadline });
  }
  return out.sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.what.localeCompare(b.what));
}

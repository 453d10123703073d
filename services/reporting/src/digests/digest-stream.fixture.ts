import type { LeadEvent } from '@lead-sla/contracts';
import { breachRowKeyOf, evolveBreachRow, type BreachRow } from '../projections/breach-row.projection';
import { evolveLeadRow, leadRowKeyOf, type LeadRow } from '../projections/lead-row.projection';
import { leadAssigned, leadCreated, slaBreached, slaEscalated } from '../testing/lead-events.fixture';
import type { DigestRow } from './domain/digest-builder';

/** Folds a fixed stream through the breach-row and lead-row projections, as reporting's consumer does, into the digests' rows. */
export function rowsOf(stream: readonly LeadEvent[]): DigestRow[] {
  const breaches = new Map<string, BreachRow | null>();
  const leads = new Map<string, LeadRow | null>();
  for (const e of stream) {
    const bk = breachRowKeyOf(e);
    if (bk) breaches.set(bk, evolveBreachRow(breaches.get(bk) ?? null, e));
    const lk = leadRowKeyOf(e);
    if (lk) leads.set(lk, evolveLeadRow(leads.get(lk) ?? null, e));
  }
  return [...breaches.values()].flatMap((b) => (b ? [{ ...b, source: leads.get(b.leadId)?.source ?? null }] : []));
}

// Tuesday 1 December 2026 in London (GMT) is [00:00Z, 24:00Z); in New York (EST) [05:00Z, next day 05:00Z).
export const london = { teamId: 'team-a', timeZone: 'Europe/London', from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z' };
export const newYork = { teamId: 'team-b', timeZone: 'America/New_York', from: '2026-12-01T05:00:00.000Z', to: '2026-12-02T05:00:00.000Z' };

export const stream: LeadEvent[] = [
  leadCreated('l1', '2026-12-01T08:00:00.000Z', { source: 'webinar' }),
  leadAssigned('l1', '2026-12-01T08:01:00.000Z', 'ava'),
  slaBreached('l1', '2026-12-01T08:11:30.000Z', 'first_touch', { ownerRepId: 'ava', teamId: 'team-a', deadline: '2026-12-01T08:11:00.000Z' }),
  slaEscalated('l1', '2026-12-01T08:11:31.000Z', 'first_touch', 1, 'reassign', { ownerRepId: 'ava', teamId: 'team-a', deadline: '2026-12-01T08:11:00.000Z' }),
  leadCreated('l2', '2026-12-01T09:00:00.000Z', { source: 'demo-request' }),
  slaBreached('l2', '2026-12-01T09:20:00.000Z', 'first_touch', { ownerRepId: 'ava', teamId: 'team-a', deadline: '2026-12-01T09:10:00.000Z' }),
  slaBreached('l2', '2026-12-01T12:00:00.000Z', 'accept_reject', { ownerRepId: 'ava', teamId: 'team-a', deadline: '2026-12-01T11:00:00.000Z' }),
  slaEscalated('l2', '2026-12-01T12:00:01.000Z', 'accept_reject', 1, 'reassign', { ownerRepId: 'ava', teamId: 'team-a', deadline: '2026-12-01T11:00:00.000Z' }),
  leadCreated('l3', '2026-12-01T10:00:00.000Z', { source: 'webinar' }),
  slaBreached('l3', '2026-12-01T10:30:00.000Z', 'first_touch', { ownerRepId: 'ben', teamId: 'team-a', deadline: '2026-12-01T10:10:00.000Z' }),
  slaEscalated('l3', '2026-12-01T10:30:01.000Z', 'first_touch', 1, 'reassign', { ownerRepId: 'ben', teamId: 'team-a', deadline: '2026-12-01T10:10:00.000Z' }),
  // The unassigned queue of team-a: no owner.
  slaBreached('q1', '2026-12-01T23:59:59.000Z', 'unassigned_queue', { ownerRepId: null, teamId: 'team-a', deadline: '2026-12-01T23:50:00.000Z' }),
  // The next London day: not in the report.
  slaBreached('l4', '2026-12-02T00:00:00.000Z', 'first_touch', { ownerRepId: 'ben', teamId: 'team-a', deadline: '2026-12-01T23:50:00.000Z' }),
  // New York: 03:00Z is still 30 November there; 04:59Z too; 05:00Z is 1 December.
  slaBreached('n1', '2026-12-01T03:00:00.000Z', 'first_touch', { ownerRepId: 'dev', teamId: 'team-b', deadline: '2026-12-01T02:50:00.000Z' }),
  slaBreached('n2', '2026-12-01T05:00:00.000Z', 'first_touch', { ownerRepId: 'dev', teamId: 'team-b', deadline: '2026-12-01T04:50:00.000Z' }),
  // Another team of another manager: never in these digests.
  slaBreached('x1', '2026-12-01T10:00:00.000Z', 'first_touch', { ownerRepId: 'zed', teamId: 'team-z', deadline: '2026-12-01T09:50:00.000Z' }),
];


import { deterministicId, type EventData, type EventOf } from '@lead-sla/contracts';
import { parsePolicy, type Policy } from '@lead-sla/policy';
import type { TimerInputEvent, TimerInputType } from '../domain/timer-state';

const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'];

/** A small policy: an always-on UTC default calendar and a London office calendar (Mon–Fri 09:00–17:00). */
export function testPolicy(
  version = 'test-1',
  overrides: { firstTouchMinutes?: number; effortMinutes?: number; minimumEffort?: { attempts: number; days: number } } = {},
): Policy {
  const effort = overrides.minimumEffort;
  const office = weekdays.map((d) => `      - { day: ${d}, open: "09:00", close: "17:00" }`).join('\n');
  const always = [...weekdays, 'sat', 'sun'].map((d) => `      - { day: ${d}, open: "00:00", close: "00:00" }`).join('\n');
  return parsePolicy(
    `
version: "${version}"
calendars:
  - id: always-on
    timeZone: UTC
    windows:
${always}
  - id: london-office
    timeZone: Europe/London
    windows:
${office}
    holidays: ["2026-12-25"]
teams:
  - { id: emea, managerId: mgr-emea, calendarId: london-office }
  - { id: ops, managerId: mgr-ops, calendarId: always-on }
reps:
  - { id: ava, teamId: emea, capacity: 10 }
  - { id: ben, teamId: emea, capacity: 10 }
  - { id: cai, teamId: ops, capacity: 10 }
pools:
  - { id: emea, teamId: emea, reps: [ava, ben] }
  - { id: ops, teamId: ops, reps: [cai] }
routing:
  defaultPool: emea
clocks:
  defaultCalendarId: always-on
  tiers:
    - id: vip
      when: { vip: true }
      clocks:
        assign: { minutes: 1 }
        first_touch: { minutes: 5, warnBeforeMinutes: 2, ladder: [{ afterMinutes: 0, action: reassign }] }
    - id: standard
      clocks:
        assign: { minutes: 2 }
        first_touch: { minutes: ${overrides.firstTouchMinutes ?? 10}, warnBeforeMinutes: 3, ladder: [{ afterMinutes: 0, action: reassign }] }
        second_touch: { minutes: 30 }
        accept_reject: { minutes: 480, warnBeforeMinutes: 60, ladder: [{ afterMinutes: 0, action: remind_owner }, { afterMinutes: 480, action: escalate_manager }, { afterMinutes: 480, action: reassign }] }
        response: { minutes: 60 }
        reply_escalation: { minutes: 240 }
        unassigned_queue: { minutes: 15 }
        data_cleanup: { minutes: 240, ladder: [{ afterMinutes: 0, action: escalate_manager }] }
${overrides.effortMinutes ? `        effort: { minutes: ${overrides.effortMinutes} }\n` : ''}dispositions:
  codes:
    - { code: working, closes: false }
    - { code: duplicate, closes: true, requiresReason: true }
${effort ? `  minimumEffort: { attempts: ${effort.attempts}, days: ${effort.days}, multiChannel: true }\n` : ''}`,
    'timer.fixture.ts',
  );
}

export const LEAD = 'lead-1';
let counter = 0;

/** A lead event as the timer receives it (current version, parsed). */
export function leadEvent<T extends TimerInputType>(type: T, occurredAt: string, data: EventData<T>): EventOf<T> {
  counter += 1;
  const event = {
    type,
    version: 1,
    eventId: deterministicId('test-event', String(counter)),
    occurredAt,
    recordedAt: occurredAt,
    leadId: LEAD,
    correlationId: 'corr-1',
    causationId: null,
    data,
  };
  return event as unknown as EventOf<T>;
}

export const created = (at: string, over: Partial<EventData<'LeadCreated'>> = {}): TimerInputEvent =>
  leadEvent('LeadCreated', at, {
    source: 'web',
    segment: 'smb',
    territory: 'emea',
    intentTier: 'warm',
    vip: false,
    contact: { contactKey: 'pat@example.com' },
    channels: ['email', 'phone'],
    ...over,
  });

export const assigned = (at: string, repId: string, teamId = 'emea', previousRepId: string | null = null): TimerInputEvent =>
  leadEvent('LeadAssigned', at, {
    repId,
    teamId,
    poolId: teamId,
    ruleId: null,
    reason: previousRepId ? 'reassignment' : 'rule',
    reassignment: previousRepId !== null,
    previousRepId,
    reassignmentCause: null,
    skipped: [],
    managerId: null,
    policyVersion: 'test-1',
  });

/** Routing's move of a bounced lead to the data-cleanup owner (cai, team ops), and back to the owner once fixed. */
export const toCleanup = (at: string, previousRepId: string): TimerInputEvent => withReason(assigned(at, 'cai', 'ops', previousRepId), 'data_cleanup');
export const backFromCleanup = (at: string, repId: string): TimerInputEvent => withReason(assigned(at, repId, 'emea', 'cai'), 'data_fixed');
/** Routing's SQL handoff to the AE pool (ae-1, team emea). */
export const toAccountExecutive = (at: string, previousRepId: string): TimerInputEvent => withReason(assigned(at, 'ae-1', 'emea', previousRepId), 'stage_handoff');
function withReason(event: TimerInputEvent, reason: 'data_cleanup' | 'data_fixed' | 'stage_handoff'): TimerInputEvent {
  if (event.type !== 'LeadAssigned') throw new Error('withReason needs a LeadAssigned');
  return { ...event, data: { ...event.data, reason, reassignment: false } };
}

export const touched = (at: string, repId: string, over: Partial<EventData<'LeadTouched'>> = {}): TimerInputEvent =>
  leadEvent('LeadTouched', at, { repId, channel: 'phone', direction: 'outbound', personal: true, automated: false, ...over });

export const queued = (at: string): TimerInputEvent =>
  leadEvent('LeadQueued', at, { poolId: 'emea', ruleId: null, cause: 'everyone skipped', skipped: [], previousRepId: null, policyVersion: 'test-1' });
/** The disposition service's verdict on an accept/reject request (the timer never reacts to the request itself). */
const salDecision = (at: string, repId: string, decision: 'accepted' | 'rejected'): TimerInputEvent =>
  leadEvent('SalDecisionRecorded', at, {
    decision,
    repId,
    ownerRepId: repId,
    requestEventId: `sal-${at}`,
    reasonCode: decision === 'rejected' ? 'not_a_fit' : null,
    reason: null,
    policyVersion: 'test-1',
  });
export const accepted = (at: string, repId: string): TimerInputEvent => salDecision(at, repId, 'accepted');
export const rejected = (at: string, repId: string): TimerInputEvent => salDecision(at, repId, 'rejected');
/** The disposition service's verdict on a valid disposition; in the example policy only working and bad_data leave the lead open. */
export const dispositioned = (at: string, code: string, closes = !['working', 'bad_data'].includes(code)): TimerInputEvent =>
  leadEvent('DispositionRecorded', at, { repId: 'ava', code, dispositionEventId: `disp-${at}`, closes, outcome: 'none', policyVersion: 'test' });
export const recycled = (at: string): TimerInputEvent =>
  leadEvent('LeadRecycled', at, { previousRepId: 'ava', code: 'nurture', reason: null, nurtureTrack: 'nurture', trigger: 'time', requalifyAt: null, policyVersion: 'test-1' });
export const suppressed = (at: string): TimerInputEvent =>
  leadEvent('LeadSuppressed', at, { cause: 'consent_withdrawn', code: null, reason: null, policyVersion: 'test-1' });

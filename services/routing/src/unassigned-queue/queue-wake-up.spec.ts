import type { QueuedLead } from '../domain/routing-state.types';
import { NOW, env, lead, minutesAfter, minutesBefore, onShiftOnly, ownedLead, rep, routingState, testPolicy } from '../testing/routing.fixture';
import { given, input } from '../testing/routing.harness';
import { queueWakeUps, wakeUpIdOf, type NextCoverageStartPort } from './queue-wake-up.util';

const queuedAt = (leadId: string, minutesAgo: number): QueuedLead => ({ leadId, queuedAt: minutesBefore(NOW, minutesAgo), excludeRepIds: [], reassignmentCause: null });
const soloLead = (leadId: string) => lead({ leadId, poolId: 'solo', ruleId: 'partners' });
/** An emitted decision as [type, lead, rep, reason] (the union of event data reads loosely here). */
const summary = (e: { type: string; leadId: string | null; data: unknown }) => {
  const d = e.data as { repId?: string; reason?: string };
  return [e.type, e.leadId, d.repId ?? null, d.reason ?? null];
};
const created = (leadId: string) =>
  input('LeadCreated', { source: 'partner', segment: 'smb', territory: 'emea', intentTier: 'warm', vip: false, contact: { contactKey: `${leadId}@x.test` }, channels: ['email'] }, leadId, `LeadCreated-${leadId}`);

describe('the queue is never silent: drained oldest first, before the lead that triggered the drain', () => {
  it('gives a freed rep to the lead that waited, not to the new lead whose arrival found them', () => {
    // sam's PTO ended a minute ago (no event says so); "old" waits in the queue; a new partner lead arrives.
    const ended = { from: minutesBefore(NOW, 600), to: minutesBefore(NOW, 1) };
    const s = routingState({ reps: [rep('sam', { pto: [ended], openAwaitingFirstTouch: 1 })], leads: [soloLead('old')], queue: [queuedAt('old', 30)] });
    const { emitted } = given(s).when(created('new'));
    expect(emitted.map(summary)).toEqual([
      ['LeadAssigned', 'old', 'sam', 'queue_drain'],
      ['LeadQueued', 'new', null, null],
    ]);
  });

  it('drains what the input\'s own decision freed, after it (a reassignment frees the old owner)', () => {
    // ava's first touch on lead-1 is missed and its ladder reassigns it (pool solo: to sam), freeing ava's capacity 2; "old" (emea) can only go to ava (the others are away).
    const away = ['ben', 'cai', 'dev', 'eli'].map((r) => rep(r, { available: false }));
    const s = routingState({
      reps: [rep('ava', { openAwaitingFirstTouch: 2 }), ...away],
      leads: [ownedLead('solo', ['ava']), lead({ leadId: 'old', poolId: 'emea', ruleId: 'emea' })],
      queue: [queuedAt('old', 30)],
    });
    const math = { startedAt: NOW, coverageStart: NOW, coverageMinutes: 10, deadline: NOW, calendarId: 'always', timeZone: 'UTC' };
    const reassignStep = input('SlaEscalated', { clockId: 'k1', clock: 'first_touch', tier: 'standard', ownerRepId: 'ava', teamId: 'emea-sdr', managerId: 'mgr-emea', math, policyVersion: 'test-1', step: 1, action: 'reassign', lastStep: true });
    const { emitted } = given(s).when(reassignStep);
    expect(emitted.map(summary)).toEqual([
      ['LeadAssigned', 'lead-1', 'sam', 'reassignment'],
      ['LeadAssigned', 'old', 'ava', 'queue_drain'],
    ]);
  });

  it('assigns three waiting leads, oldest first, on the wake-up at the shift start', () => {
    // on_shift_only: emea's reps are off shift until 10:00 and the queue holds three emea leads.
    const opensAt = NOW;
    const port = (_rep: string, _calendar: string, t: string) => Date.parse(t) >= Date.parse(opensAt);
    const emea = (id: string) => lead({ leadId: id, poolId: 'emea', ruleId: 'emea' });
    const s = routingState({
      reps: ['dev', 'eli'].map((r) => rep(r, { available: false })),
      leads: [emea('second'), emea('third'), emea('first')],
      queue: [queuedAt('second', 20), queuedAt('third', 10), queuedAt('first', 30)],
    });
    const beforeOpening = env({ ...onShiftOnly(port), now: minutesBefore(opensAt, 1) });
    expect(given(s, beforeOpening).when(created('probe')).emitted.map((e) => e.type)).toEqual(['LeadQueued']);

    const wakeUp = { ...input('RoutingWakeUp', { reason: 'coverage_start', dueAt: opensAt, teamId: 'emea-sdr' }, null), occurredAt: opensAt };
    const { emitted, changes } = given(s, env({ ...onShiftOnly(port), now: opensAt })).when(wakeUp);
    expect(emitted.map(summary)).toEqual([
      ['LeadAssigned', 'first', 'ava', 'queue_drain'],
      ['LeadAssigned', 'second', 'ben', 'queue_drain'],
      ['LeadAssigned', 'third', 'cai', 'queue_drain'],
    ]);
    expect(changes.queueRemoved.sort()).toEqual(['first', 'second', 'third']);
  });
});

describe('queue wake-ups: when routing wakes itself up', () => {
  const nextOpening: NextCoverageStartPort = (calendarId) => (calendarId === 'night' ? '2026-11-29T00:00:00.000Z' : null);

  it('schedules nothing while the queue is empty', () => {
    expect(queueWakeUps(routingState({ reps: [rep('sam', { available: false })] }), env(), nextOpening)).toEqual([]);
  });

  it('wakes up when the team of a rep who could take a queued lead comes on shift', () => {
    const s = routingState({ leads: [soloLead('w')], queue: [queuedAt('w', 5)] });
    const wakeUps = queueWakeUps(s, env({ isOnShift: () => false }), nextOpening);
    expect(wakeUps).toEqual([{ reason: 'coverage_start', dueAt: '2026-11-29T00:00:00.000Z', teamId: 'night-shift' }]);
    expect(wakeUpIdOf(wakeUps[0])).toBe('coverage_start:night-shift:2026-11-29T00:00:00.000Z');
  });

  it('wakes up when a PTO running now ends and when a shift override starts, for reps of the queued lead\'s pools', () => {
    const pto = { from: minutesBefore(NOW, 60), to: minutesAfter(NOW, 90) };
    const override = { from: minutesAfter(NOW, 30), to: minutesAfter(NOW, 120) };
    const s = routingState({ reps: [rep('sam', { pto: [pto], shiftOverride: override }), rep('ava', { pto: [pto] })], leads: [soloLead('w')], queue: [queuedAt('w', 5)] });
    expect(queueWakeUps(s, env(), nextOpening)).toEqual([
      { reason: 'shift_override_start', dueAt: override.from, repId: 'sam' },
      { reason: 'pto_end', dueAt: pto.to, repId: 'sam' },
    ]);
  });

  it('follows the queued lead\'s backup pools (emea → amer)', () => {
    const pto = { from: minutesBefore(NOW, 60), to: minutesAfter(NOW, 90) };
    const s = routingState({ reps: [rep('dev', { pto: [pto] })], leads: [lead({ leadId: 'w', poolId: 'emea' })], queue: [queuedAt('w', 5)] });
    expect(queueWakeUps(s, env({ policy: testPolicy() }), nextOpening)).toEqual([{ reason: 'pto_end', dueAt: pto.to, repId: 'dev' }]);
  });
});

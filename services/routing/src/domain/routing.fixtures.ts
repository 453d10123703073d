// Builders shared by the routing specs: a small policy, reps, leads and an environment on a fixed clock.
import { PolicySchema, type Policy } from '@lead-sla/policy';
import type { RoutingDecision } from './routing-decision.types';
import {
  freshRepState,
  type LeadAttributes,
  type LeadRoutingState,
  type OnShiftPort,
  type PoolState,
  type RepState,
  type RoutingEnv,
  type RoutingView,
} from './routing-state.types';

export const NOW = '2026-11-24T10:00:00.000Z';

export function minutesBefore(t: string, minutes: number): string {
  return new Date(Date.parse(t) - minutes * 60_000).toISOString();
}
export function minutesAfter(t: string, minutes: number): string {
  return new Date(Date.parse(t) + minutes * 60_000).toISOString();
}

type RoutingOverrides = Partial<Omit<Policy['routing'], 'rotationPenalty'>> & { rotationPenalty?: Policy['routing']['rotationPenalty'] };

/** emea [ava, ben, cai] → amer [dev, eli] → emea; vip [fay, gus] → emea; solo [sam] has no backup. */
export function testPolicy(routing: RoutingOverrides = {}): Policy {
  return PolicySchema.parse({
    version: 'test-1',
    calendars: [
      { id: 'always', timeZone: 'UTC', windows: [{ day: 'mon', open: '00:00', close: '00:00' }] },
      { id: 'night', timeZone: 'UTC', windows: [{ day: 'sun', open: '00:00', close: '00:00' }] },
    ],
    teams: [
      { id: 'emea-sdr', managerId: 'mgr-emea', calendarId: 'always' },
      { id: 'amer-sdr', managerId: 'mgr-amer', calendarId: 'always' },
      { id: 'strategic', managerId: 'mgr-strategic', calendarId: 'always' },
      { id: 'night-shift', managerId: 'mgr-night', calendarId: 'night' },
      { id: 'data-ops', managerId: 'mgr-ops', calendarId: 'always' },
    ],
    reps: [
      { id: 'ava', teamId: 'emea-sdr', capacity: 2 },
      { id: 'ben', teamId: 'emea-sdr', capacity: 2, managerId: 'mgr-ben' },
      { id: 'cai', teamId: 'emea-sdr', capacity: 2 },
      { id: 'dev', teamId: 'amer-sdr', capacity: 2 },
      { id: 'eli', teamId: 'amer-sdr', capacity: 2 },
      { id: 'fay', teamId: 'strategic', capacity: 2 },
      { id: 'gus', teamId: 'strategic', capacity: 2 },
      { id: 'sam', teamId: 'night-shift', capacity: 2 },
      { id: 'data-desk', teamId: 'data-ops', capacity: 1000 },
    ],
    pools: [
      { id: 'emea', teamId: 'emea-sdr', reps: ['ava', 'ben', 'cai'], backupPoolId: 'amer' },
      { id: 'amer', teamId: 'amer-sdr', reps: ['dev', 'eli'], backupPoolId: 'emea' },
      { id: 'vip', teamId: 'strategic', reps: ['fay', 'gus'], backupPoolId: 'emea' },
      { id: 'solo', teamId: 'night-shift', reps: ['sam'] },
    ],
    routing: {
      rules: [
        { id: 'vip', when: { vip: true }, pool: 'vip' },
        { id: 'enterprise-hot', when: { segment: 'enterprise', intentTier: 'hot' }, pool: 'vip' },
        { id: 'partners', when: { source: 'partner' }, pool: 'solo' },
        { id: 'emea', when: { territory: 'emea' }, pool: 'emea' },
        { id: 'amer', when: { territory: ['na', 'latam'] }, pool: 'amer' },
      ],
      defaultPool: 'emea',
      duplicateWindowMinutes: 60,
      dataCleanupOwner: 'data-desk',
      ...routing,
    },
    clocks: { defaultCalendarId: 'always', tiers: [{ id: 'standard', clocks: { first_touch: { minutes: 10 } } }] },
    dispositions: { codes: [{ code: 'working', label: 'Working', closes: false }] },
  });
}

/** Everyone is on shift unless listed. */
export function offShift(...repIds: string[]): OnShiftPort {
  return (repId) => !repIds.includes(repId);
}

export function env(over: Partial<RoutingEnv> = {}): RoutingEnv {
  return { policy: testPolicy(), now: NOW, isOnShift: offShift(), ...over };
}

export function rep(repId: string, over: Partial<RepState> = {}): RepState {
  return { ...freshRepState(repId), ...over };
}

export function view(
  reps: RepState[] = [],
  pools: PoolState[] = [],
  learnedAccountOwners: Record<string, string> = {},
): RoutingView {
  return {
    reps: new Map(reps.map((r) => [r.repId, r])),
    pools: new Map(pools.map((p) => [p.poolId, p])),
    learnedAccountOwners: new Map(Object.entries(learnedAccountOwners)),
  };
}

export const emeaLead: LeadAttributes = { source: 'web', territory: 'emea', segment: 'smb', intentTier: 'warm', vip: false };

export function lead(over: Partial<LeadRoutingState> = {}): LeadRoutingState {
  return {
    leadId: 'lead-1',
    createdAt: NOW,
    attributes: emeaLead,
    contactKey: 'jo@acme.test',
    accountDomain: null,
    poolId: null,
    ruleId: null,
    ownerRepId: null,
    ownerHistory: [],
    awaitingFirstTouch: true,
    ...over,
  };
}

/** An owned lead: `owners` oldest first, the last one current. */
export function ownedLead(poolId: string, owners: string[], over: Partial<LeadRoutingState> = {}): LeadRoutingState {
  return lead({
    poolId,
    ruleId: poolId,
    ownerRepId: owners[owners.length - 1],
    ownerHistory: owners.map((repId, i) => ({ repId, assignedAt: minutesBefore(NOW, 60 - i), reason: 'rule' })),
    ...over,
  });
}

export function assignedData(d: RoutingDecision) {
  const e = d.emit.find((x) => x.type === 'LeadAssigned');
  if (!e || e.type !== 'LeadAssigned') throw new Error(`expected LeadAssigned, got ${JSON.stringify(d.emit.map((x) => x.type))}`);
  return e.data;
}

export function queuedData(d: RoutingDecision) {
  const e = d.emit.find((x) => x.type === 'LeadQueued');
  if (!e || e.type !== 'LeadQueued') throw new Error(`expected LeadQueued, got ${JSON.stringify(d.emit.map((x) => x.type))}`);
  return e.data;
}

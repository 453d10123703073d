// Builders shared by the routing specs: a small policy, reps, leads and an environment on a fixed clock.
import { PolicySchema, type Policy } from '@lead-sla/policy';
import type { Emission } from '@lead-sla/decider';
import type { RoutingEmission } from '../domain/routing-emission.types';
import {
  freshRepState,
  type DecisionStamp,
  type LearnedOwner,
  type LeadAttributes,
  type LeadRoutingState,
  type OnShiftPort,
  type PoolState,
  type RepState,
  type QueuedLead,
  type RoutingEnv,
  type RoutingState,
} from '../domain/routing-state.types';

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

/**
 * The environment of the policy setting `routing.afterHours: on_shift_only`
 * with this calendar port: a pool with nobody on shift overflows or queues
 * instead of assigning after hours.
 */
export function onShiftOnly(isOnShift: OnShiftPort): Partial<RoutingEnv> {
  return { policy: testPolicy({ afterHours: 'on_shift_only' }), isOnShift };
}

export function env(over: Partial<RoutingEnv> = {}): RoutingEnv {
  return { policy: testPolicy(), now: NOW, isOnShift: offShift(), ...over };
}

export function rep(repId: string, over: Partial<RepState> = {}): RepState {
  return { ...freshRepState(repId), ...over };
}

export function emptyRoutingState(): RoutingState {
  return {
    reps: new Map(),
    pools: new Map(),
    learnedAccountOwners: new Map(),
    leads: new Map(),
    logs: new Map(),
    queue: new Map(),
    suppressedContacts: new Map(),
    folding: null,
  };
}

/** A routing state holding these reps, pool pointers and learned account owners (and nothing else). */
/** A pool pointer set by a round-robin pick a day before NOW (or none). */
export function pool(poolId: string, lastAssignedRepId: string | null, lastAssigned: DecisionStamp | null = lastAssignedRepId === null ? null : { at: minutesBefore(NOW, 24 * 60), eventId: `fixture-${poolId}`, causeId: 'fixture' }): PoolState {
  return { poolId, lastAssignedRepId, lastAssigned };
}

/** A company owner learned a day before NOW. */
export function learnedOwner(repId: string, at = minutesBefore(NOW, 24 * 60), eventId = `fixture-${repId}`): LearnedOwner {
  return { repId, at, eventId, causeId: 'fixture' };
}

export function view(reps: RepState[] = [], pools: PoolState[] = [], learnedAccountOwners: Record<string, string | LearnedOwner> = {}): RoutingState {
  return {
    ...emptyRoutingState(),
    reps: new Map(reps.map((r) => [r.repId, r])),
    pools: new Map(pools.map((p) => [p.poolId, p])),
    learnedAccountOwners: new Map(Object.entries(learnedAccountOwners).map(([d, o]) => [d, typeof o === 'string' ? learnedOwner(o) : o])),
  };
}

export interface StateParts {
  readonly reps?: RepState[];
  readonly pools?: PoolState[];
  readonly learnedAccountOwners?: Record<string, string | LearnedOwner>;
  /** In this order (the capacity changes of a decision are listed lead by lead in it). */
  readonly leads?: LeadRoutingState[];
  readonly queue?: QueuedLead[];
  /** Suppressed a day before NOW unless given. */
  readonly suppressedContacts?: Record<string, { leadId: string; cause: string; suppressedAt?: string }>;
}

/** A whole routing state from its parts. */
export function routingState(parts: StateParts = {}): RoutingState {
  return {
    ...view(parts.reps, parts.pools, parts.learnedAccountOwners),
    leads: new Map((parts.leads ?? []).map((l) => [l.leadId, l])),
    queue: new Map((parts.queue ?? []).map((q) => [q.leadId, q])),
    suppressedContacts: new Map(Object.entries(parts.suppressedContacts ?? {}).map(([k, c]) => [k, { suppressedAt: minutesBefore(NOW, 24 * 60), ...c }])),
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

type Emitted = RoutingEmission | Emission;

const listOf = (d: Emitted | readonly Emitted[]): readonly Emitted[] => (Array.isArray(d) ? d : [d as Emitted]);

export function assignedData(d: Emitted | readonly Emitted[]) {
  const e = listOf(d).find((x) => x.type === 'LeadAssigned');
  if (!e || e.type !== 'LeadAssigned') throw new Error(`expected LeadAssigned, got ${JSON.stringify(listOf(d).map((x) => x.type))}`);
  return e.data;
}

export function queuedData(d: Emitted | readonly Emitted[]) {
  const e = listOf(d).find((x) => x.type === 'LeadQueued');
  if (!e || e.type !== 'LeadQueued') throw new Error(`expected LeadQueued, got ${JSON.stringify(listOf(d).map((x) => x.type))}`);
  return e.data;
}

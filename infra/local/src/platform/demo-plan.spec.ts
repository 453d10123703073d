import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClockKind } from '@lead-sla/contracts';
import { breachIsRepMiss, isInboundReply, isOwnedTouch, meetsSecondTouch } from '@lead-sla/lead-lifecycle';
import { matchesLead, parsePolicy, policyLookup, type ClockPolicy, type Policy } from '@lead-sla/policy';
import { addCoverage, coverageCalendarFor, DAY_MS, MINUTE_MS } from '@lead-sla/sla-clock';
import { workspaceRoot } from '../workspace-paths';
import { DEMO_CAST, DEMO_DEFAULTS, demoLeadPlan, type DemoLeadPlan } from './demo-plan';

const POLICY_FILE = join(workspaceRoot, 'infra/policy/demo.policy.yaml');
const policy: Policy = parsePolicy(readFileSync(POLICY_FILE, 'utf8'), POLICY_FILE);
const RUN_MINUTES = 30;
const START = Date.parse('2026-11-30T09:00:00Z');

/** A seeded [0, 1) generator (mulberry32), so the run is the same every time. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Miss {
  readonly repId: string;
  readonly clock: ClockKind;
  readonly at: number;
}

interface SimulatedLead {
  readonly plan: DemoLeadPlan;
  /** null: queued (its pool's only rep is away). */
  readonly repId: string | null;
  readonly misses: readonly Miss[];
  readonly warned: boolean;
  readonly secondTouchChannels: readonly [string, string];
}

/**
 * The demo run, simulated: a lead every interval for 30 minutes, routed by
 * the policy's rules to a pool and round robin within it (capacity and
 * backups do not matter here: every rep keeps the same pace), assigned when
 * created, and each clock's deadline from the demo policy's minutes on the
 * team's calendar. A step after its deadline, or a clock left without its
 * step, is a breach; it is a miss when the lead lifecycle says so. The idle
 * rep takes no step; a lead for the away rep's pool waits in the queue.
 */
function simulate(): SimulatedLead[] {
  const nextInPool = new Map<string, number>();
  const count = Math.min(DEMO_DEFAULTS.leads, Math.ceil((RUN_MINUTES * MINUTE_MS) / DEMO_DEFAULTS.intervalMs));
  const random = seeded(11);
  return Array.from({ length: count }, (_, i) => {
    const plan = demoLeadPlan(i, random, `demo-${i}@example.invalid`);
    const lead = { ...plan.created, vip: plan.created.vip ?? false };
    const poolId = policy.routing.rules.find((r) => matchesLead(r.when, lead))?.pool ?? policy.routing.defaultPool;
    const pool = policyLookup.pool(policy, poolId);
    const turn = nextInPool.get(poolId) ?? 0;
    nextInPool.set(poolId, turn + 1);
    const repId = pool.reps[turn % pool.reps.length];
    if (repId === DEMO_CAST.awayRep) return { plan, repId: null, misses: [], warned: false, secondTouchChannels: ['', ''] as const };
    const calendar = coverageCalendarFor(policyLookup.calendar(policy, policyLookup.team(policy, pool.teamId).calendarId ?? policy.clocks.defaultCalendarId));
    const tier = policyLookup.tierFor(policy, lead);
    if (!tier) throw new Error(`demo lead ${i} matches no clock tier of ${POLICY_FILE}`);

    const assignedAt = START + i * DEMO_DEFAULTS.intervalMs;
    const at = (seconds: number) => assignedAt + seconds * 1000;
    const steps = repId === DEMO_CAST.idleRep ? [] : plan.steps;
    const touches = steps.flatMap((s) => (s.kind === 'touch' ? [{ ...s.touch, repId, at: at(s.afterSeconds) }] : []));
    const owned = touches.filter((t) => isOwnedTouch(t, repId));
    const reply = touches.find((t) => isInboundReply(t));
    const acceptedAt = steps.flatMap((s) => (s.kind === 'accept' ? [at(s.afterSeconds)] : []))[0];
    const misses: Miss[] = [];
    let warned = false;
    // The step that meets a clock started at `from`: a miss when it is late or missing, whoever's clock it is.
    const check = (clock: ClockKind, p: ClockPolicy | undefined, from: number | undefined, metAt: number | undefined) => {
      if (!p || !p.enabled || from === undefined) return;
      const deadline = addCoverage(calendar, from, minutesOf(clock, p, plan));
      if (p.warnBeforeMinutes > 0 && metAt !== undefined && metAt >= addCoverage(calendar, from, minutesOf(clock, p, plan) - p.warnBeforeMinutes)) warned = true;
      const breached = metAt === undefined || metAt > deadline;
      if (breached && breachIsRepMiss(policy, { clock, tier: tier.id, ownerRepId: repId })) misses.push({ repId, clock, at: deadline });
    };
    const [first, second] = owned;
    check('first_touch', tier.clocks.first_touch, assignedAt, first?.at);
    const secondOk = second && first && meetsSecondTouch('require', first.channel, second.channel, plan.created.channels ?? []);
    check('second_touch', tier.clocks.second_touch, first?.at, secondOk ? second.at : undefined);
    check('accept_reject', tier.clocks.accept_reject, assignedAt, acceptedAt);
    if (reply) expect(reply.at).toBeGreaterThan(second?.at ?? Infinity);
    return { plan, repId, misses, warned, secondTouchChannels: [first?.channel ?? '', second?.channel ?? ''] };
  });
}

/** The clock's minutes for this lead: for first touch, the smallest per-channel target among the lead's channels (policy `channelMinutes`). */
function minutesOf(clock: ClockKind, p: ClockPolicy, plan: DemoLeadPlan): number {
  if (clock !== 'first_touch' || !p.channelMinutes) return p.minutes;
  const targets = (plan.created.channels ?? []).flatMap((c) => (p.channelMinutes?.[c] === undefined ? [] : [p.channelMinutes[c]]));
  return targets.length > 0 ? Math.min(...targets) : p.minutes;
}

describe('the demo stream over 30 minutes of running, against the demo policy', () => {
  const leads = simulate();

  it('runs for at least 30 minutes at its default pace', () => {
    expect(DEMO_DEFAULTS.leads * DEMO_DEFAULTS.intervalMs).toBeGreaterThanOrEqual(RUN_MINUTES * MINUTE_MS);
    expect(leads.length).toBe(Math.ceil((RUN_MINUTES * MINUTE_MS) / DEMO_DEFAULTS.intervalMs));
  });

  const worstWindowOf = (repId: string) => {
    const { windowDays } = policy.routing.rotationPenalty;
    const mine = leads.flatMap((l) => l.misses).filter((m) => m.repId === repId).map((m) => m.at).sort((a, b) => a - b);
    return Math.max(0, ...mine.map((t, k) => mine.slice(k).filter((u) => u - t < windowDays * DAY_MS).length));
  };

  it('takes the idle rep out of rotation within the first minutes, so the dashboard has someone to reinstate', () => {
    expect(worstWindowOf(DEMO_CAST.idleRep)).toBeGreaterThanOrEqual(policy.routing.rotationPenalty.misses);
    const times = leads.flatMap((l) => l.misses).filter((m) => m.repId === DEMO_CAST.idleRep).map((m) => m.at).sort((a, b) => a - b);
    expect(times[policy.routing.rotationPenalty.misses - 1] - START).toBeLessThan(10 * MINUTE_MS);
  });

  it('takes nobody else out of rotation: every other rep meets every clock', () => {
    const others = leads.filter((l) => l.repId !== DEMO_CAST.idleRep);
    // No miss at all, so misses kept from an earlier run never add up to a removal.
    expect(others.flatMap((l) => l.misses)).toEqual([]);
  });

  it('parks the partner referrals in the unassigned queue (the partners pool has only the away rep and no backup)', () => {
    const queued = leads.filter((l) => l.repId === null);
    expect(queued.length).toBeGreaterThan(0);
    expect(queued.every((l) => l.plan.created.source === DEMO_CAST.queuedSource)).toBe(true);
    expect(policyLookup.pool(policy, 'partners')).toMatchObject({ reps: [DEMO_CAST.awayRep] });
    expect(policyLookup.pool(policy, 'partners').backupPoolId).toBeUndefined();
  });

  it('signs the dashboard in as a manager of both the idle rep and the queued pool', () => {
    expect(policyLookup.team(policy, policyLookup.rep(policy, DEMO_CAST.idleRep).teamId).managerId).toBe(DEMO_CAST.viewer);
    expect(policyLookup.team(policy, 'partners').managerId).toBe(DEMO_CAST.viewer);
  });

  it('has every diligent owner touch twice, on two channels', () => {
    for (const l of leads.filter((x) => x.repId !== null && x.repId !== DEMO_CAST.idleRep)) expect(new Set(l.secondTouchChannels).size).toBe(2);
  });

  it('shows realistic late first touches (after the warning, inside the clock) and some replies', () => {
    const late = leads.filter((l) => l.plan.lateFirstTouch && l.repId !== null && l.repId !== DEMO_CAST.idleRep);
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((l) => l.warned)).toBe(true);
    expect(leads.filter((l) => l.plan.replies && l.repId !== DEMO_CAST.idleRep).length).toBeGreaterThan(0);
  });
});

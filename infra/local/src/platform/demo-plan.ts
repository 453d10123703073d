import type { Channel, EventData, LeadTouchedData } from '@lead-sla/contracts';

/**
 * What the demo's people do with each demo lead, as a pure plan: the lead as
 * marketing creates it, then the owner's steps, in seconds after the lead is
 * assigned. The stream (demo-stream.ts) publishes them; a unit test checks
 * the plan against the demo policy's clocks (demo-plan.spec.ts).
 *
 * The demo reps are diligent — all but one, DEMO_CAST.idleRep, who never
 * touches his leads, so routing takes him out of rotation within minutes
 * (infra/policy/demo.policy.yaml: 2 misses in 7 days) and the dashboard's
 * manager has someone to reinstate; every sixth lead is a partner referral,
 * which waits in the unassigned queue while the partners' only rep is away.
 * Everyone else meets every clock however long the demo runs: every first touch
 * lands inside the first-touch clock — every fifth one late enough to raise
 * the warning, which the dashboard shows — and the second touch goes out on
 * the other channel inside the second-touch clock, and the owner accepts the
 * MQL soon after, well inside the accept/reject clock (so that clock never
 * breaches, however long the demo runs). Every third lead replies.
 */
/** Who plays which part, so every panel of the demo dashboard has data (docs/dashboard.md). */
export const DEMO_CAST = {
  /** The person the demo dashboard signs in as (AUTH_DEMO_PERSON on reporting): EMEA's manager, who also runs partner referrals. */
  viewer: 'mgr-emea',
  /** The one rep who lets his leads slide: two missed first touches take him out of rotation. */
  idleRep: 'cai',
  /** Away (unavailable) for the whole demo: the partners pool has nobody else and no backup. */
  awayRep: 'ivy',
  /** The source the demo policy routes to the partners pool. */
  queuedSource: 'partner-referral',
} as const;

const SOURCES = ['webinar', 'demo-request', 'content-download', 'event-scan'];
const TERRITORIES = ['emea', 'emea', 'na', 'latam'];
const SEGMENTS = ['smb', 'mid-market', 'enterprise'];
const TIERS = ['hot', 'warm', 'cold'] as const;
const FIRST_OUTCOMES = ['no_answer', 'voicemail', 'connected'] as const;

/** The pace of the demo's reps, in seconds (the demo policy's clocks: first touch 1 min, warning at 30 s; second touch 3 min). */
export const DEMO_PACE = {
  firstTouch: [5, 20],
  /** After the warning, before the deadline. */
  lateFirstTouch: [35, 50],
  secondTouchAfterFirst: [30, 120],
  acceptAfterSecond: [10, 60],
  replyAfterSecond: [20, 180],
} as const;

/** Enough leads, one every 18 s, to keep the stream going for 30 minutes. */
export const DEMO_DEFAULTS = { leads: 100, intervalMs: 18_000 } as const;

export type DemoStep =
  | { readonly afterSeconds: number; readonly kind: 'touch'; readonly touch: Omit<LeadTouchedData, 'repId'> }
  | { readonly afterSeconds: number; readonly kind: 'accept' };

export interface DemoLeadPlan {
  readonly created: EventData<'LeadCreated'>;
  /** In time order. */
  readonly steps: readonly DemoStep[];
  /** The first touch comes after the first-touch warning (still inside the clock). */
  readonly lateFirstTouch: boolean;
  readonly replies: boolean;
}

const between = (random: () => number, [low, high]: readonly [number, number]) => low + random() * (high - low);

/** The plan of the i-th demo lead; `random` returns [0, 1) (Math.random in the stream, a seeded one in tests). */
export function demoLeadPlan(i: number, random: () => number, contactKey: string): DemoLeadPlan {
  const channels: Channel[] = i % 2 === 0 ? ['phone', 'email'] : ['email', 'phone'];
  const [first, second] = channels;
  const lateFirstTouch = i % 5 === 4;
  const replies = i % 3 === 1;
  const firstAt = between(random, lateFirstTouch ? DEMO_PACE.lateFirstTouch : DEMO_PACE.firstTouch);
  const secondAt = firstAt + between(random, DEMO_PACE.secondTouchAfterFirst);
  const outbound = (channel: Channel, outcome: LeadTouchedData['outcome']) =>
    ({ channel, direction: 'outbound', personal: true, automated: false, outcome }) as const;
  const steps: DemoStep[] = [
    { afterSeconds: firstAt, kind: 'touch', touch: outbound(first, first === 'phone' ? FIRST_OUTCOMES[i % FIRST_OUTCOMES.length] : 'sent') },
    { afterSeconds: secondAt, kind: 'touch', touch: outbound(second, second === 'phone' ? 'voicemail' : 'sent') },
    { afterSeconds: secondAt + between(random, DEMO_PACE.acceptAfterSecond), kind: 'accept' },
  ];
  if (replies) {
    const reply = { channel: 'email', direction: 'inbound', personal: true, automated: false, outcome: 'replied' } as const;
    steps.push({ afterSeconds: secondAt + between(random, DEMO_PACE.replyAfterSecond), kind: 'touch', touch: reply });
  }
  steps.sort((a, b) => a.afterSeconds - b.afterSeconds);
  return {
    created: {
      source: i % 6 === 5 ? DEMO_CAST.queuedSource : SOURCES[i % SOURCES.length],
      territory: TERRITORIES[i % TERRITORIES.length],
      segment: SEGMENTS[i % SEGMENTS.length],
      intentTier: TIERS[i % TIERS.length],
      vip: i % 10 === 9,
      contact: { contactKey, email: contactKey, phone: '+1 555 0100' },
      channels,
    },
    steps,
    lateFirstTouch,
    replies,
  };
}

import fc from 'fast-check';
import type { Channel } from '@lead-sla/contracts';
import { deadlineRowsOf } from '../domain/clock-schedule.util';
import { accepted, assigned, created, dispositioned, LEAD, queued, recycled, rejected, suppressed, testPolicy, touched } from '../testing/timer.fixture';
import { TimerHarness } from '../testing/timer.harness';
import { logOf, rebuildFromLog } from '../testing/timer-rebuild.fixture';

// 2026-11-24 is a Tuesday; London office hours 09:00–17:00 (GMT).
const T = (hhmm: string, date = '2026-11-24') => `${date}T${hhmm}:00.000Z`;
const policy = testPolicy('test-1', { effortMinutes: 2880, minimumEffort: { attempts: 3, days: 1 } });

/**
 * A replay rebuilds the timer by folding the log with evolve only: the
 * inputs, and the timer's own logged decisions (clock starts and stops,
 * acknowledgements, warnings, breaches, escalations) wherever the relay
 * published them — right after their cause, or after later inputs. Every
 * such log must give the state live had, and so the same pending deadline rows.
 */
function expectRebuildEqualsLive(live: TimerHarness, publishNow: (n: number) => boolean): void {
  const rebuilt = rebuildFromLog(logOf(live, publishNow), live.policy).get(LEAD)!;
  expect(rebuilt).toEqual(live.lead);
  expect(deadlineRowsOf(rebuilt)).toEqual(deadlineRowsOf(live.lead));
}

const scenarios: Array<[string, () => TimerHarness]> = [
  ['first touch met', () => new TimerHarness(policy).given(created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:05'), 'ava')).advanceTo(T('10:40'))],
  [
    'first touch breached, reassigned by the ladder, met by the new owner',
    () =>
      new TimerHarness(policy)
        .given(created(T('10:00')), assigned(T('10:01'), 'ava'), assigned(T('10:12'), 'ben', 'emea', 'ava'), touched(T('10:14'), 'ben'))
        .advanceTo(T('11:30')),
  ],
  ['warned, then touched before the deadline', () => new TimerHarness(policy).given(created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:09'), 'ava')).advanceTo(T('10:20'))],
  ['touched exactly at the deadline (breach, no ladder)', () => new TimerHarness(policy).given(created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:11'), 'ava')).advanceTo(T('12:00'))],
  [
    'accept/reject ladder: every escalation step, then the SAL decision',
    () =>
      new TimerHarness(policy)
        .given(created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:05'), 'ava'), accepted(T('16:00', '2026-11-26'), 'ava'))
        .advanceTo(T('10:00', '2026-11-30')),
  ],
  ['accepted in time', () => new TimerHarness(policy).given(created(T('10:00')), assigned(T('10:01'), 'ava'), accepted(T('10:30'), 'ava')).advanceTo(T('12:00'))],
  ['rejected', () => new TimerHarness(policy).given(created(T('10:00')), assigned(T('10:01'), 'ava'), rejected(T('10:03'), 'ava')).advanceTo(T('12:00'))],
  [
    'dispositions: working keeps the clocks, duplicate closes the lead',
    () =>
      new TimerHarness(policy)
        .given(created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:02'), 'ava'), dispositioned(T('10:20'), 'working'), dispositioned(T('11:00'), 'duplicate'))
        .advanceTo(T('12:00', '2026-11-25')),
  ],
  [
    'recycled, then requalified and assigned again',
    () =>
      new TimerHarness(policy)
        .given(created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:02'), 'ava'), recycled(T('11:00')), assigned(T('09:30', '2026-11-25'), 'ben'), touched(T('09:50', '2026-11-25'), 'ben'))
        .advanceTo(T('12:00', '2026-11-26')),
  ],
  ['queued, then assigned', () => new TimerHarness(policy).given(created(T('10:00')), queued(T('10:01')), assigned(T('10:30'), 'cai', 'ops')).advanceTo(T('12:00'))],
  ['suppressed with clocks running', () => new TimerHarness(policy).given(created(T('10:00')), assigned(T('10:01'), 'ava'), suppressed(T('10:04'))).advanceTo(T('12:00'))],
  ['after hours: acknowledged, counted from the next morning', () => new TimerHarness(policy).given(created(T('18:29')), assigned(T('18:30'), 'ava'), touched(T('09:04', '2026-11-25'), 'ava')).advanceTo(T('12:00', '2026-11-25'))],
  [
    'minimum effort over days and channels, a reply, a touch by another rep',
    () =>
      new TimerHarness(policy)
        .given(
          created(T('10:00')),
          assigned(T('10:01'), 'ava'),
          touched(T('10:03'), 'ben'),
          touched(T('10:04'), 'ava'),
          touched(T('11:00'), 'ava', { direction: 'inbound' }),
          touched(T('10:00', '2026-11-25'), 'ava', { channel: 'email' }),
          touched(T('11:00', '2026-11-26'), 'ava'),
        )
        .advanceTo(T('12:00', '2026-11-30')),
  ],
];

describe('rebuilding the timer from the log (evolve only) gives the live state', () => {
  describe.each(scenarios)('%s', (_name, run) => {
    it('with each decision published right after its cause', () => expectRebuildEqualsLive(run(), () => true));
    it('with every decision published after all the inputs (a slow relay)', () => expectRebuildEqualsLive(run(), () => false));
    it('with decisions published in any interleaving the relay allows', () => {
      fc.assert(fc.property(fc.array(fc.boolean(), { maxLength: 60 }), (choices) => expectRebuildEqualsLive(run(), (n) => choices[n % Math.max(1, choices.length)] ?? true)), { numRuns: 50 });
    });
  });

  type Step =
    | { kind: 'assigned'; rep: 'ava' | 'ben' | 'cai' }
    | { kind: 'touched'; byOwner: boolean; channel: Channel; inbound: boolean }
    | { kind: 'accepted' | 'rejected' | 'working' | 'duplicate' | 'recycled' | 'suppressed' | 'queued' };
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('assigned' as const), rep: fc.constantFrom('ava' as const, 'ben' as const, 'cai' as const) }) },
    { weight: 5, arbitrary: fc.record({ kind: fc.constant('touched' as const), byOwner: fc.boolean(), channel: fc.constantFrom<Channel>('phone', 'email'), inbound: fc.boolean() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('accepted' as const, 'rejected' as const, 'working' as const, 'duplicate' as const, 'recycled' as const, 'suppressed' as const, 'queued' as const) }) },
  );
  const history = fc.record({
    vip: fc.boolean(),
    startsAt: fc.constantFrom(T('10:00'), T('16:55'), T('18:30'), T('23:50', '2026-11-27')),
    steps: fc.array(
      fc.record({
        gapMinutes: fc.oneof(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 1500 })),
        // A lagging consumer: deadlines due meanwhile fire before the input (occurred earlier) is applied.
        appliedLateByMinutes: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 30 })),
        step,
      }),
      { maxLength: 14 },
    ),
  });

  /** A generated lead history run live: inputs applied at their times or later, every deadline fired when due. */
  function runLive(h: { vip: boolean; startsAt: string; steps: ReadonlyArray<{ gapMinutes: number; appliedLateByMinutes: number; step: Step }> }): TimerHarness {
    const live = new TimerHarness(policy).given(created(h.startsAt, { vip: h.vip }));
    let at = Date.parse(h.startsAt);
    let owner = 'ava';
    for (const { gapMinutes, appliedLateByMinutes, step: s } of h.steps) {
      at += gapMinutes * 60_000;
      const iso = new Date(at).toISOString();
      live.advanceTo(new Date(at + appliedLateByMinutes * 60_000).toISOString());
      switch (s.kind) {
        case 'assigned':
          live.given(assigned(iso, s.rep, s.rep === 'cai' ? 'ops' : 'emea', owner === s.rep ? null : owner));
          owner = s.rep;
          break;
        case 'touched':
          live.given(touched(iso, s.byOwner ? owner : 'ben', { channel: s.channel, direction: s.inbound ? 'inbound' : 'outbound' }));
          break;
        case 'accepted':
          live.given(accepted(iso, owner));
          break;
        case 'rejected':
          live.given(rejected(iso, owner));
          break;
        case 'working':
        case 'duplicate':
          live.given(dispositioned(iso, s.kind));
          break;
        case 'recycled':
          live.given(recycled(iso));
          break;
        case 'suppressed':
          live.given(suppressed(iso));
          break;
        case 'queued':
          live.given(queued(iso));
          break;
      }
    }
    return live.advanceTo(new Date(at + 5 * 24 * 3_600_000).toISOString());
  }

  it('for generated lead histories, in any interleaving of inputs and published decisions', () => {
    fc.assert(
      fc.property(history, fc.array(fc.boolean(), { minLength: 1, maxLength: 80 }), (h, choices) => {
        const live = runLive(h);
        expectRebuildEqualsLive(live, () => true);
        expectRebuildEqualsLive(live, () => false);
        expectRebuildEqualsLive(live, (n) => choices[n % choices.length]);
      }),
      { numRuns: 300 },
    );
  });
});

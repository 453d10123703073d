import { parseEvent } from '@lead-sla/contracts';
import { foldInputs } from '@lead-sla/decider';
import { deadlineRowsOf } from '../domain/clock-schedule.util';
import { initialTimerState, TIMER_INPUT_TYPES } from '../domain/timer-state';
import { timerDecider } from './lead-timer.decider';
import { accepted, assigned, created, dispositioned, queued, recycled, rejected, suppressed, testPolicy, touched } from '../testing/timer.fixture';
import { TimerHarness } from '../testing/timer.harness';

// 2026-11-24 is a Tuesday; London is on GMT (UTC+0), office hours 09:00–17:00.
const T = (hhmm: string, date = '2026-11-24') => `${date}T${hhmm}:00.000Z`;

describe('assign clock', () => {
  it('breaches at 2 minutes after creation when nobody is assigned', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00'))).advanceTo(T('10:05'));
    expect(timer.log()).toEqual([`${T('10:02')} SlaBreached assign owner=-`]);
  });

  it('is met by an assignment before the deadline', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava')).advanceTo(T('10:05'));
    expect(timer.log()).toEqual([]);
  });

  it('does not start for an inquiry below the policy\'s MQL threshold (routing does not route it)', () => {
    const base = testPolicy();
    const policy = { ...base, routing: { ...base.routing, mql: { minScore: 60, handRaiserSources: [] } } };
    const timer = new TimerHarness(policy).given(created(T('10:00'), { score: 40 })).advanceTo(T('10:05'));
    expect(timer.log()).toEqual([]);
    expect(timer.pending()).toEqual([]);
    const mql = new TimerHarness(policy).given(created(T('10:00'), { score: 60 })).advanceTo(T('10:05'));
    expect(mql.log()).toEqual([`${T('10:02')} SlaBreached assign owner=-`]);
  });
});

describe('first-touch clock', () => {
  it('warns at 3 coverage minutes before and breaches at 10 coverage minutes after assignment, then reassigns', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava')).advanceTo(T('10:30'));
    expect(timer.log().filter((l) => l.includes('first_touch'))).toEqual([
      `${T('10:08')} SlaWarning first_touch (deadline ${T('10:11')})`,
      `${T('10:11')} SlaBreached first_touch owner=ava`,
      `${T('10:11')} SlaEscalated first_touch step 1 reassign (last)`,
    ]);
  });

  it('is stopped by an owned touch: personal, outbound, not automated, by the owner', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:05'), 'ava'));
    expect(timer.pending().filter((p) => p.includes('first_touch') || p.includes('response'))).toEqual([]);
    expect(timer.pending()).toContain(`${T('10:35')} second_touch breach`);
  });

  it.each([
    ['another rep', touched(T('10:05'), 'ben')],
    ['an automated sequence', touched(T('10:05'), 'ava', { automated: true })],
    ['a marketing auto-responder', touched(T('10:05'), 'ava', { personal: false })],
    ['an inbound reply', touched(T('10:05'), 'ava', { direction: 'inbound' })],
  ])('is not stopped by a touch from %s', (_label, touch) => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), touch).advanceTo(T('10:12'));
    expect(timer.log()).toContain(`${T('10:11')} SlaBreached first_touch owner=ava`);
  });

  it('restarts for the new owner on reassignment and cancels the old deadline', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), assigned(T('10:05'), 'ben', 'emea', 'ava'));
    expect(timer.pending().filter((p) => p.includes('first_touch'))).toEqual([`${T('10:12')} first_touch warning`, `${T('10:15')} first_touch breach`]);
    timer.advanceTo(T('10:20'));
    expect(timer.log()).toContain(`${T('10:15')} SlaBreached first_touch owner=ben`);
    expect(timer.log().join()).not.toContain('owner=ava');
  });

  it('counts a touch recorded exactly at the deadline as a breach (met only strictly before)', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:11'), 'ava')).advanceTo(T('11:00'));
    expect(timer.log().filter((l) => l.includes('first_touch'))).toEqual([
      `${T('10:08')} SlaWarning first_touch (deadline ${T('10:11')})`,
      `${T('10:11')} SlaBreached first_touch owner=ava`,
    ]);
  });

  it('is ended by a late touch after its breach, which starts the second-touch clock', () => {
    const policy = testPolicy();
    const timer = new TimerHarness(policy).given(created(T('10:00')), assigned(T('10:01'), 'ava'));
    timer.advanceTo(T('10:11'));
    timer.given(touched(T('10:20'), 'ava'));
    expect(timer.lead.clocks.map((c) => c.clock).sort()).toEqual(['accept_reject', 'reply_escalation', 'second_touch']);
  });

  it('counts from the next office morning for an after-hours lead, acknowledged at once when it arrives', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('18:29')), assigned(T('18:30'), 'ava'));
    // The assign clock runs on the London team's calendar too, so the lead is acknowledged on arrival (once).
    expect(timer.log()).toEqual([`${T('18:29')} LeadAcknowledged from ${T('09:00', '2026-11-25')}`]);
    expect(timer.pending()).toContain(`${T('09:10', '2026-11-25')} first_touch breach`);
  });

  it('skips a holiday and the weekend', () => {
    // Thu 24 Dec 16:55: 5 minutes left; Fri 25 Dec is a holiday, then the weekend.
    const timer = new TimerHarness(testPolicy()).given(created(T('16:54', '2026-12-24')), assigned(T('16:55', '2026-12-24'), 'ava'));
    expect(timer.pending()).toContain(`${T('09:05', '2026-12-28')} first_touch breach`);
  });

  it('uses the shorter clocks of the VIP tier', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00'), { vip: true }), assigned(T('10:00'), 'ava'));
    expect(timer.pending()).toEqual([`${T('10:03')} first_touch warning`, `${T('10:05')} first_touch breach`]);
  });
});

describe('second-touch clock', () => {
  it('breaches 30 coverage minutes after the first owned touch', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:05'), 'ava')).advanceTo(T('10:40'));
    expect(timer.log()).toEqual([`${T('10:35')} SlaBreached second_touch owner=ava`]);
  });

  it('is stopped by the next owned touch', () => {
    const timer = new TimerHarness(testPolicy())
      .given(created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:05'), 'ava'), touched(T('10:20'), 'ava', { channel: 'email', outcome: 'sent' }))
      .advanceTo(T('10:40'));
    expect(timer.log()).toEqual([]);
  });
});

describe('reply-escalation clock', () => {
  it('is stopped by an inbound reply', () => {
    const timer = new TimerHarness(testPolicy()).given(
      created(T('10:00')),
      assigned(T('10:01'), 'ava'),
      touched(T('10:05'), 'ava'),
      touched(T('10:30'), 'ava', { direction: 'inbound', outcome: 'replied' }),
    );
    expect(timer.pending().some((p) => p.includes('reply_escalation'))).toBe(false);
  });
});

describe('accept/reject clock', () => {
  it('climbs the escalation ladder in coverage time until the SAL decision', () => {
    // 480 office minutes from Tue 10:00 → Wed 10:00. The warning (420 minutes) lands exactly
    // where Tuesday's window closes: the earliest instant with 420 minutes of coverage.
    const timer = new TimerHarness(testPolicy()).given(created(T('09:59')), assigned(T('10:00'), 'ava'), touched(T('10:02'), 'ava'), touched(T('10:03'), 'ava'));
    timer.given(accepted(T('12:00', '2026-11-26'), 'ava')).advanceTo(T('12:00', '2026-12-01'));
    expect(timer.log().filter((l) => l.includes('accept_reject'))).toEqual([
      `${T('17:00')} SlaWarning accept_reject (deadline ${T('10:00', '2026-11-25')})`,
      `${T('10:00', '2026-11-25')} SlaBreached accept_reject owner=ava`,
      `${T('10:00', '2026-11-25')} SlaEscalated accept_reject step 1 remind_owner`,
      `${T('10:00', '2026-11-26')} SlaEscalated accept_reject step 2 escalate_manager`,
    ]);
  });

  it('runs the whole ladder and marks the last step', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('09:59')), assigned(T('10:00'), 'ava'), touched(T('10:02'), 'ava'), touched(T('10:03'), 'ava'));
    timer.advanceTo(T('12:00', '2026-12-01'));
    expect(timer.log().at(-1)).toBe(`${T('10:00', '2026-11-27')} SlaEscalated accept_reject step 3 reassign (last)`);
  });

  it('reacts to the verdict only: an accept/reject request (which may be refused) is not among its inputs', () => {
    expect(TIMER_INPUT_TYPES).toContain('SalDecisionRecorded');
    expect(TIMER_INPUT_TYPES).not.toEqual(expect.arrayContaining(['LeadAccepted']));
    expect(TIMER_INPUT_TYPES).not.toEqual(expect.arrayContaining(['LeadRejected']));
    expect(TIMER_INPUT_TYPES).not.toEqual(expect.arrayContaining(['SalDecisionRefused']));
  });

  it('stops the accept/reject clock on an accepted verdict and keeps the owner\'s other clocks running', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), accepted(T('10:02'), 'ava')).advanceTo(T('10:12'));
    expect(timer.log().filter((l) => l.includes('SlaBreached'))).toEqual([`${T('10:11')} SlaBreached first_touch owner=ava`]);
    expect(timer.pending().some((p) => p.includes('accept_reject'))).toBe(false);
  });

  it('is not restarted on reassignment once the SAL decision is made', () => {
    const timer = new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), accepted(T('10:02'), 'ava'), assigned(T('10:03'), 'ben', 'emea', 'ava'));
    expect(timer.pending().some((p) => p.includes('accept_reject'))).toBe(false);
  });
});

describe('unassigned-queue clock', () => {
  it('breaches 15 minutes after the lead is queued and is stopped by an assignment', () => {
    const breached = new TimerHarness(testPolicy()).given(created(T('10:00')), queued(T('10:00'))).advanceTo(T('10:20'));
    expect(breached.log()).toContain(`${T('10:15')} SlaBreached unassigned_queue owner=-`);
    const met = new TimerHarness(testPolicy()).given(created(T('10:00')), queued(T('10:00')), assigned(T('10:10'), 'cai', 'ops')).advanceTo(T('10:20'));
    expect(met.log().some((l) => l.includes('unassigned_queue'))).toBe(false);
  });
});

describe('closing a lead', () => {
  const open = () => new TimerHarness(testPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'));

  it.each([
    ['a closing disposition', dispositioned(T('10:04'), 'duplicate')],
    ['a recycle', recycled(T('10:04'))],
    ['a suppression', suppressed(T('10:04'))],
    ['a rejection back to marketing', rejected(T('10:04'), 'ava')],
  ])('stops every clock on %s', (_label, closing) => {
    const timer = open().given(closing).advanceTo(T('12:00', '2026-12-31'));
    expect(timer.pending()).toEqual([]);
    expect(timer.log()).toEqual([]);
    expect(timer.lead.clocks).toEqual([]);
  });

  it('keeps the clocks running on a disposition that does not close', () => {
    const timer = open().given(dispositioned(T('10:04'), 'working')).advanceTo(T('10:12'));
    expect(timer.log()).toContain(`${T('10:11')} SlaBreached first_touch owner=ava`);
  });
});

describe('policy changes', () => {
  it('apply to clocks started after them; running clocks keep their deadline and version', () => {
    const timer = new TimerHarness(testPolicy('v1')).given(created(T('10:00')), assigned(T('10:01'), 'ava'));
    timer.policy = testPolicy('v2', { firstTouchMinutes: 20 });
    timer.advanceTo(T('10:12'));
    const breach = timer.emitted.find((e) => e.type === 'SlaBreached');
    expect(breach?.data).toMatchObject({ policyVersion: 'v1', math: { coverageMinutes: 10, deadline: T('10:11') } });
    timer.given(assigned(T('10:20'), 'ben', 'emea', 'ava'));
    expect(timer.pending()).toContain(`${T('10:40')} first_touch breach`);
  });
});

describe('emitted events', () => {
  const scenario = () =>
    new TimerHarness(testPolicy()).given(created(T('18:29')), assigned(T('18:30'), 'ava')).advanceTo(T('12:00', '2026-11-28')).emitted;

  it('are valid contract events carrying the clock math', () => {
    const events = scenario();
    expect(events.length).toBeGreaterThan(3);
    for (const e of events) expect(parseEvent(JSON.parse(JSON.stringify(e)))).toMatchObject({ ok: true });
    const breach = events.find((e) => e.type === 'SlaBreached' && e.data.clock === 'first_touch');
    expect(breach && breach.type === 'SlaBreached' ? breach.data.math : null).toEqual({
      startedAt: T('18:30'),
      coverageStart: T('09:00', '2026-11-25'),
      coverageMinutes: 10,
      deadline: T('09:10', '2026-11-25'),
      calendarId: 'london-office',
      timeZone: 'Europe/London',
    });
  });

  it('have deterministic ids: the same history yields the same ids', () => {
    const a = scenario().map((e) => e.eventId);
    expect(new Set(a).size).toBe(a.length);
    const policy = testPolicy();
    const events = [created(T('10:00')), assigned(T('10:01'), 'ava')];
    const run = (now: Date) => foldInputs(timerDecider, new Map([['lead-1', initialTimerState('lead-1')]]), events, () => ({ policy }), now);
    const once = run(new Date(0));
    const twice = run(new Date(5));
    const deadlineIds = (r: typeof once) => deadlineRowsOf(r.state.get('lead-1')!).map((d) => d.deadlineId);
    expect(deadlineIds(twice)).toEqual(deadlineIds(once));
    expect(deadlineIds(once).length).toBeGreaterThan(0);
    expect(twice.emitted.map((e) => e.eventId)).toEqual(once.emitted.map((e) => e.eventId));
  });
});

describe('effort clock', () => {
  // 2026-11-24 is a Tuesday: 5 office days × 8 h = 2,400 coverage minutes ends the next Tuesday 09:00.
  // The minimum effort (policy dispositions.minimumEffort, the rule disposition also applies): 6 attempts over 2 days, more than one channel.
  const effortPolicy = () => testPolicy('test-1', { effortMinutes: 2400, minimumEffort: { attempts: 6, days: 2 } });
  const sixTouches = ['10:05', '11:00', '12:00', '13:00', '14:00', '15:00'];
  /** Six owned attempts: five on Tuesday (phone and email), the sixth on Thursday at 10:05, two days after the first. */
  const sixOverTwoDays = (channelOf: (i: number) => 'phone' | 'email' = (i) => (i % 2 ? 'email' : 'phone'), repOf: (i: number) => string = () => 'ava') =>
    [...sixTouches.slice(0, 5).map((t) => T(t)), T('10:05', '2026-11-26')].map((at, i) => touched(at, repOf(i), { channel: channelOf(i) }));
  const effortLog = (timer: TimerHarness) => timer.log().filter((l) => l.includes('effort'));

  it('starts at the first owned touch and is met by the policy minimum: 6 owned attempts over 2 days on more than one channel', () => {
    const timer = new TimerHarness(effortPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), ...sixOverTwoDays()).advanceTo(T('10:00', '2026-12-08'));
    expect(effortLog(timer)).toEqual([]);
    expect(timer.pending().filter((p) => p.includes('effort'))).toEqual([]);
  });

  it('breaches when the owner made fewer attempts than the minimum within its window', () => {
    const touches = sixOverTwoDays().slice(0, 5);
    const timer = new TimerHarness(effortPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), ...touches).advanceTo(T('10:00', '2026-12-08'));
    expect(effortLog(timer)).toEqual([`${T('10:05', '2026-12-01')} SlaBreached effort owner=ava`]);
  });

  it('does not count touches that are not owned', () => {
    const touches = [touched(T('10:05'), 'ava'), ...sixTouches.slice(1).map((t) => touched(T(t), 'ava', { automated: true }))];
    const timer = new TimerHarness(effortPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), ...touches).advanceTo(T('10:00', '2026-12-08'));
    expect(effortLog(timer)).toHaveLength(1);
  });

  it('is not met by six attempts made in less than the minimum days', () => {
    const touches = sixTouches.map((t, i) => touched(T(t), 'ava', { channel: i % 2 ? 'email' : 'phone' }));
    const timer = new TimerHarness(effortPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), ...touches).advanceTo(T('10:00', '2026-12-08'));
    expect(effortLog(timer)).toEqual([`${T('10:05', '2026-12-01')} SlaBreached effort owner=ava`]);
  });

  it('is not met one millisecond before the minimum days have passed', () => {
    const touches = [...sixOverTwoDays().slice(0, 5), touched('2026-11-26T10:04:59.999Z', 'ava', { channel: 'email' })];
    const timer = new TimerHarness(effortPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), ...touches).advanceTo(T('10:00', '2026-12-08'));
    expect(effortLog(timer)).toHaveLength(1);
  });

  it('is not met on one channel when the lead can be reached on several, but is when it has only one', () => {
    const phoneOnly = sixOverTwoDays(() => 'phone');
    const several = new TimerHarness(effortPolicy()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), ...phoneOnly).advanceTo(T('10:00', '2026-12-08'));
    expect(effortLog(several)).toHaveLength(1);
    const one = new TimerHarness(effortPolicy()).given(created(T('10:00'), { channels: ['phone'] }), assigned(T('10:01'), 'ava'), ...phoneOnly).advanceTo(T('10:00', '2026-12-08'));
    expect(effortLog(one)).toEqual([]);
  });

  it('keeps counting the attempts of the cycle across a reassignment (one meaning of minimum effort, as for "No Response")', () => {
    // Three attempts by ava on Tuesday morning, three by ben after he takes the lead over at 12:30.
    const touches = sixOverTwoDays(undefined, (i) => (i < 3 ? 'ava' : 'ben'));
    const timer = new TimerHarness(effortPolicy())
      .given(created(T('10:00')), assigned(T('10:01'), 'ava'), ...touches.slice(0, 3), assigned(T('12:30'), 'ben', 'emea', 'ava'), ...touches.slice(3))
      .advanceTo(T('10:00', '2026-12-08'));
    expect(effortLog(timer)).toEqual([]);
  });
});

import type { Policy } from '@lead-sla/policy';
import { assigned, created, testPolicy, touched } from '../testing/timer.fixture';
import { TimerHarness } from '../testing/timer.harness';

// 2026-11-24 is a Tuesday; London office hours 09:00–17:00 (8 coverage hours a day). Reply clock: 240 office minutes.
const T = (hhmm: string, date = '2026-11-24') => `${date}T${hhmm}:00.000Z`;

/** The seed's reply-clock actions as ladder steps: a touch task at once, the manager 480 office minutes (a working day) later. */
function withReplyLadder(): Policy {
  const p = testPolicy();
  const ladder = [
    { afterMinutes: 0, action: 'schedule_touch_task' as const },
    { afterMinutes: 480, action: 'escalate_manager' as const },
  ];
  const tiers = p.clocks.tiers.map((t) => (t.id === 'standard' ? { ...t, clocks: { ...t.clocks, reply_escalation: { ...t.clocks.reply_escalation!, ladder } } } : t));
  return { ...p, clocks: { ...p.clocks, tiers } };
}

const replyLog = (timer: TimerHarness) => timer.log().filter((l) => l.includes('reply_escalation'));

describe('reply clock ladder: a touch task, then the manager if it stays untouched', () => {
  it('Given a first touch at 10:02 and no reply, When 4 office hours pass, Then the owner gets a touch task for the next working day on every channel of the lead', () => {
    const timer = new TimerHarness(withReplyLadder()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:02'), 'ava')).advanceTo(T('14:03'));
    expect(replyLog(timer)).toEqual([`${T('14:02')} SlaBreached reply_escalation owner=ava`, `${T('14:02')} SlaEscalated reply_escalation step 1 schedule_touch_task`]);
    const task = timer.emitted.find((e) => e.type === 'SlaEscalated' && e.data.action === 'schedule_touch_task');
    expect(task?.type === 'SlaEscalated' && task.data.task).toEqual({ dueAt: T('14:02', '2026-11-25'), channels: ['email', 'phone'] });
  });

  it('Given the touch task, When the owner leaves it untouched for a working day, Then the manager is escalated to', () => {
    const timer = new TimerHarness(withReplyLadder()).given(created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:02'), 'ava')).advanceTo(T('15:00', '2026-11-25'));
    expect(replyLog(timer)).toContain(`${T('14:02', '2026-11-25')} SlaEscalated reply_escalation step 2 escalate_manager (last)`);
  });

  it('Given the touch task, When the owner touches the lead the next morning, Then the manager is not escalated to', () => {
    const timer = new TimerHarness(withReplyLadder())
      .given(created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:02'), 'ava'))
      .advanceTo(T('14:03'))
      .given(touched(T('10:00', '2026-11-25'), 'ava', { channel: 'email' }))
      .advanceTo(T('17:00', '2026-11-25'));
    expect(replyLog(timer).filter((l) => l.includes('escalate_manager'))).toEqual([]);
    expect(timer.pending().filter((p) => p.includes('reply_escalation'))).toEqual([]);
  });

  it('Given a lead that replies, When the reply comes before the deadline, Then no task is scheduled', () => {
    const timer = new TimerHarness(withReplyLadder())
      .given(created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:02'), 'ava'), touched(T('11:00'), 'ava', { direction: 'inbound' }))
      .advanceTo(T('17:00', '2026-11-25'));
    expect(replyLog(timer)).toEqual([]);
  });
});

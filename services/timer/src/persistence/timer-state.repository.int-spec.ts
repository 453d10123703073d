import { foldInputs } from '@lead-sla/decider';
import { timerDecider } from '../apply-lead-event/lead-timer.decider';
import { deadlineRowsOf } from '../domain/clock-schedule.util';
import { timerChanges } from '../domain/timer-changes.util';
import { initialTimerState, type TimerEnv, type TimerInputEvent, type TimerState } from '../domain/timer-state';
import { assigned, created, LEAD, testPolicy, touched } from '../testing/timer.fixture';
import { setup } from '../testing/timer-repository.setup';

const T = (hhmm: string) => `2026-11-24T${hhmm}:00.000Z`;
const TRACE = { traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01' };
const env: TimerEnv = { policy: testPolicy() };
const on = (partition: number) => () => ({ partition, trace: TRACE });
const fold = (state: TimerState, ...inputs: TimerInputEvent[]) => foldInputs(timerDecider, state, inputs, () => env, new Date(T('10:00'))).state;
const empty: TimerState = new Map([[LEAD, initialTimerState(LEAD)]]);

describe('timer state repository (real Postgres, no Kafka)', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  beforeAll(async () => {
    s = await setup();
  }, 60_000);
  afterAll(async () => {
    await s?.ctx.close();
  });
  beforeEach(async () => {
    await s.ctx.sql.query('TRUNCATE timer.lead_timers, timer.deadlines');
  });

  it('starts a lead it has never seen from the empty state, and reads back what it wrote', async () => {
    const { sut, ctx } = s;
    const assignedState = fold(empty, created(T('10:00')), assigned(T('10:01'), 'ava'));
    expect(await ctx.tx((tx) => sut.lockStates(tx, [LEAD]))).toEqual(empty);
    await ctx.tx((tx) => sut.write(tx, timerChanges(empty, assignedState), on(2)));
    expect(await ctx.tx((tx) => sut.lockStates(tx, [LEAD]))).toEqual(assignedState);
  });

  it('inserts the deadlines that appear on the lead\'s partition, with the trace context, and hands them back for the scheduler', async () => {
    const { sut, ctx } = s;
    const after = fold(empty, created(T('10:00')), assigned(T('10:01'), 'ava'));
    const offered = await ctx.tx((tx) => sut.write(tx, timerChanges(empty, after), on(2)));
    const expected = deadlineRowsOf(after.get(LEAD)!);
    expect(offered).toEqual(expect.arrayContaining(expected.map((r) => ({ id: r.deadlineId, dueAt: Date.parse(r.dueAt), partition: 2 }))));
    const stored = await ctx.sql.query<{ id: string; partition: number; status: string; trace_context: unknown }>('SELECT id, partition, status, trace_context FROM timer.deadlines');
    expect(stored).toHaveLength(expected.length);
    expect(stored.every((r) => r.partition === 2 && r.status === 'pending')).toBe(true);
    expect(stored[0].trace_context).toEqual(TRACE);
  });

  it('cancels the deadlines that disappear, and leaves a fired one fired', async () => {
    const { sut, ctx } = s;
    const assignedState = fold(empty, created(T('10:00')), assigned(T('10:01'), 'ava'));
    await ctx.tx((tx) => sut.write(tx, timerChanges(empty, assignedState), on(0)));
    const breach = deadlineRowsOf(assignedState.get(LEAD)!).find((r) => r.clock === 'first_touch' && r.kind === 'breach')!;
    const warning = deadlineRowsOf(assignedState.get(LEAD)!).find((r) => r.clock === 'first_touch' && r.kind === 'warning')!;
    await ctx.tx((tx) => sut.claimDue(tx, [warning.deadlineId], new Date(T('10:08'))));
    const touchedState = fold(assignedState, touched(T('10:05'), 'ava'));
    await ctx.tx((tx) => sut.write(tx, timerChanges(assignedState, touchedState), on(0)));
    const status = async (id: string) => (await ctx.sql.query<{ status: string }>('SELECT status FROM timer.deadlines WHERE id = $1', [id]))[0].status;
    expect(await status(breach.deadlineId)).toBe('cancelled');
    expect(await status(warning.deadlineId)).toBe('fired');
  });

  it('claims a deadline once, in due order, with its trace context', async () => {
    const { sut, ctx } = s;
    const after = fold(empty, created(T('10:00')), assigned(T('10:01'), 'ava'));
    await ctx.tx((tx) => sut.write(tx, timerChanges(empty, after), on(1)));
    const ids = deadlineRowsOf(after.get(LEAD)!).map((r) => r.deadlineId);
    const first = await ctx.tx((tx) => sut.claimDue(tx, ids, new Date(T('12:00'))));
    expect(first).toHaveLength(ids.length);
    expect(first.map((c) => c.dueAt)).toEqual([...first.map((c) => c.dueAt)].sort((a, b) => a - b));
    expect(first[0]).toMatchObject({ leadId: LEAD, partition: 1, trace: TRACE });
    expect(await ctx.tx((tx) => sut.claimDue(tx, ids, new Date(T('12:01'))))).toEqual([]);
  });

  it('loads the owned partitions\' rows due in the window, and overdue rows of any partition', async () => {
    const { sut, ctx } = s;
    const other = 'lead-2';
    const mine = fold(empty, created(T('10:00')), assigned(T('10:01'), 'ava'));
    const theirsEmpty: TimerState = new Map([[other, initialTimerState(other)]]);
    const theirs = fold(theirsEmpty, ...[created(T('10:00')), assigned(T('10:01'), 'ava')].map((e) => ({ ...e, leadId: other })));
    await ctx.tx((tx) => sut.write(tx, timerChanges(empty, mine), on(0)));
    await ctx.tx((tx) => sut.write(tx, timerChanges(theirsEmpty, theirs), on(1)));
    // Both leads' first-touch warnings are due at 10:08, their breaches at 10:11.
    const window = { from: 0, until: Date.parse(T('10:09')) };
    const owned = await ctx.tx((tx) => sut.pendingDue(tx, [0], window, 0));
    expect(owned.map((r) => r.partition)).toEqual([0]);
    expect(owned[0].dueAt).toBe(Date.parse(T('10:08')));
    const withOrphans = await ctx.tx((tx) => sut.pendingDue(tx, [0], window, Date.parse(T('10:09'))));
    expect(withOrphans.map((r) => r.partition).sort()).toEqual([0, 1]);
    expect(await sut.countPending(ctx.dataSource)).toBe(2 * deadlineRowsOf(mine.get(LEAD)!).length);
  });

  it('locks a lead\'s row for the transaction that loaded it', async () => {
    const { sut, ctx } = s;
    const after = fold(empty, created(T('10:00')));
    await ctx.tx((tx) => sut.write(tx, timerChanges(empty, after), on(0)));
    await ctx.tx(async (holder) => {
      await sut.lockStates(holder, [LEAD]);
      await expect(
        ctx.tx(async (tx) => {
          await tx.execute(`SET LOCAL lock_timeout = '200ms'`);
          return sut.lockStates(tx, [LEAD]);
        }),
      ).rejects.toThrow(/lock timeout/);
    });
  });
});

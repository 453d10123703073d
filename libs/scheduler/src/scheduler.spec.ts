import { Scheduler, type ScheduledRow, type ScheduledWork } from './scheduler';

const MIN = 60_000;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Rows in a map (the table), fired ids recorded; `failNext` makes the next fire throw (rolled back). */
function fakeWork(rows: ScheduledRow[]) {
  const pending = new Map(rows.map((r) => [r.id, r]));
  const fired: string[][] = [];
  const work: ScheduledWork & { failNext: boolean; notReady: Set<string> } = {
    failNext: false,
    notReady: new Set(),
    async loadDue(partitions, window, orphanBefore) {
      return [...pending.values()].filter((r) => (partitions.includes(r.partition) && r.dueAt >= window.from && r.dueAt < window.until) || r.dueAt < orphanBefore);
    },
    async fire(ids) {
      if (work.failNext) {
        work.failNext = false;
        throw new Error('deadlock detected');
      }
      const ready = ids.filter((id) => !work.notReady.has(id));
      if (ready.length > 0) fired.push(ready);
      for (const id of ready) pending.delete(id);
      return { notReady: ids.filter((id) => work.notReady.has(id)) };
    },
  };
  return { work, fired, pending };
}

describe('scheduler', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());
  const options = { name: 'test', horizonMs: MIN, orphanGraceMs: 5_000, batchSize: 2, retryMs: 1_000, now: () => new Date(Date.now()), logger: quiet };

  it('fires the owned partitions\' rows when due, earliest first, in batches', async () => {
    const { work, fired } = fakeWork([{ id: 'b', dueAt: 2_000, partition: 0 }, { id: 'a', dueAt: 1_000, partition: 0 }, { id: 'c', dueAt: 1_500, partition: 0 }, { id: 'other', dueAt: 1_000, partition: 1 }]);
    const s = new Scheduler(work, options);
    s.start();
    s.setPartitions([0]);
    await jest.advanceTimersByTimeAsync(999);
    expect(fired).toEqual([]);
    await jest.advanceTimersByTimeAsync(1_001);
    expect(fired.flat()).toEqual(['a', 'c', 'b']);
    s.stop();
  });

  it('fires nothing before it is started, whatever partitions and rows it is given (a replay never starts it)', async () => {
    const { work, fired } = fakeWork([{ id: 'overdue', dueAt: 0, partition: 0 }]);
    const s = new Scheduler(work, options);
    s.setPartitions([0]);
    s.offer([{ id: 'new', dueAt: 10, partition: 0 }]);
    await jest.advanceTimersByTimeAsync(2 * MIN);
    expect(fired).toEqual([]);
  });

  it('fires a row committed inside the loaded horizon without waiting for a refill', async () => {
    const { work, fired } = fakeWork([]);
    const s = new Scheduler(work, options);
    s.start();
    s.setPartitions([0]);
    await jest.advanceTimersByTimeAsync(10);
    s.offer([{ id: 'new', dueAt: 500, partition: 0 }]);
    await jest.advanceTimersByTimeAsync(500);
    expect(fired).toEqual([['new']]);
    s.stop();
  });

  it('fires overdue rows of any partition before partitions are assigned (restart)', async () => {
    jest.setSystemTime(60_000);
    const { work, fired } = fakeWork([{ id: 'overdue', dueAt: 1_000, partition: 2 }]);
    const s = new Scheduler(work, options);
    s.start();
    await jest.advanceTimersByTimeAsync(1);
    expect(fired).toEqual([['overdue']]);
    s.stop();
  });

  it('keeps rows pending when a fire fails, and fires them after reloading', async () => {
    const { work, fired } = fakeWork([{ id: 'a', dueAt: 1_000, partition: 0 }]);
    work.failNext = true;
    const s = new Scheduler(work, options);
    s.start();
    s.setPartitions([0]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(fired).toEqual([]);
    await jest.advanceTimersByTimeAsync(1_100);
    expect(fired).toEqual([['a']]);
    s.stop();
  });

  it('retries a row its work says is not ready (not dropped), while the other due rows fire', async () => {
    const { work, fired, pending } = fakeWork([{ id: 'lagging', dueAt: 1_000, partition: 0 }, { id: 'complete', dueAt: 1_000, partition: 0 }]);
    work.notReady.add('lagging');
    const s = new Scheduler(work, { ...options, readyRetryMs: 250 });
    s.start();
    s.setPartitions([0]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(fired).toEqual([['complete']]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(fired).toEqual([['complete']]);
    expect(pending.has('lagging')).toBe(true);
    work.notReady.clear();
    await jest.advanceTimersByTimeAsync(250);
    expect(fired).toEqual([['complete'], ['lagging']]);
    s.stop();
  });

  it('detects a wall-clock step against the monotonic clock, logs and reports it, and keeps firing by monotonic time: no early fire, no lock-out', async () => {
    const steps: Array<{ direction: string; ms: number }> = [];
    const warnings: string[] = [];
    const logger = { ...quiet, warn: (m: string) => warnings.push(m) };
    const { work, fired } = fakeWork([{ id: 'in-30-min', dueAt: 30 * MIN, partition: 0 }, { id: 'in-2-h', dueAt: 120 * MIN, partition: 0 }]);
    const s = new Scheduler(work, { ...options, logger, onClockStep: (step) => steps.push(step) });
    s.start();
    s.setPartitions([0]);
    await jest.advanceTimersByTimeAsync(1_000);
    // The wall clock jumps an hour ahead; monotonic time does not. Nothing fires early.
    jest.setSystemTime(Date.now() + 60 * MIN);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(steps).toEqual([{ direction: 'forward', ms: 60 * MIN }]);
    expect(warnings[0]).toMatch(/wall clock stepped forward by 3600000 ms against the monotonic clock; test rows keep firing by monotonic time/);
    await jest.advanceTimersByTimeAsync(30 * MIN - 2_001);
    expect(fired).toEqual([]);
    await jest.advanceTimersByTimeAsync(2);
    expect(fired).toEqual([['in-30-min']]);
    // Back an hour and a half: reported, and the later row still fires 2 h after start, not 90 minutes later.
    jest.setSystemTime(Date.now() - 90 * MIN);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(steps[1]).toEqual({ direction: 'backward', ms: 90 * MIN });
    await jest.advanceTimersByTimeAsync(120 * MIN - performance.now() - 1);
    expect(fired).toEqual([['in-30-min']]);
    await jest.advanceTimersByTimeAsync(2);
    expect(fired).toEqual([['in-30-min'], ['in-2-h']]);
    s.stop();
  });

  it('reports no step when wall and monotonic time advance together, however long the process waits', async () => {
    const steps: unknown[] = [];
    const { work } = fakeWork([]);
    const s = new Scheduler(work, { ...options, onClockStep: (step) => steps.push(step) });
    s.start();
    await jest.advanceTimersByTimeAsync(10 * MIN);
    expect(steps).toEqual([]);
    s.stop();
  });
});

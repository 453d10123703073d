import { Scheduler, type ScheduledRow, type ScheduledWork } from './scheduler';

const MIN = 60_000;
const quiet = { info: () => undefined, error: () => undefined };

/** Rows in a map (the table), fired ids recorded; `failNext` makes the next fire throw (rolled back). */
function fakeWork(rows: ScheduledRow[]) {
  const pending = new Map(rows.map((r) => [r.id, r]));
  const fired: string[][] = [];
  const work: ScheduledWork & { failNext: boolean } = {
    failNext: false,
    async loadDue(partitions, window, orphanBefore) {
      return [...pending.values()].filter((r) => (partitions.includes(r.partition) && r.dueAt >= window.from && r.dueAt < window.until) || r.dueAt < orphanBefore);
    },
    async fire(ids) {
      if (work.failNext) {
        work.failNext = false;
        throw new Error('deadlock detected');
      }
      fired.push([...ids]);
      for (const id of ids) pending.delete(id);
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
});

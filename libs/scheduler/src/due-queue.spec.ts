import { DueQueue } from './due-queue';

const MIN = 60_000;
const ids = (q: DueQueue, now: number, max: number) => q.takeDue(now, max).map((e) => e.id);

describe('due queue (the in-memory near future of scheduled rows)', () => {
  it('hands out due deadlines earliest first, in batches, and nothing before it is due', () => {
    const q = new DueQueue(MIN);
    q.assign([0]);
    q.loaded([{ id: 'c', dueAt: 3000 }, { id: 'a', dueAt: 1000 }, { id: 'b', dueAt: 2000 }], MIN);
    expect(ids(q, 500, 10)).toEqual([]);
    expect(q.nextDueAt()).toBe(1000);
    expect(ids(q, 2500, 1)).toEqual(['a']);
    expect(ids(q, 2500, 10)).toEqual(['b']);
    expect(ids(q, 10_000, 10)).toEqual(['c']);
    expect(q.nextDueAt()).toBeUndefined();
  });

  it('holds a row loaded twice (refill racing an offer) only once', () => {
    const q = new DueQueue(MIN);
    q.assign([0]);
    q.loaded([{ id: 'a', dueAt: 1000 }], MIN);
    expect(q.offer({ id: 'a', dueAt: 1000 }, 0)).toBe(true);
    q.loaded([{ id: 'a', dueAt: 1000 }], MIN);
    expect(ids(q, 5000, 10)).toEqual(['a']);
  });

  it('takes an offered row only inside the loaded horizon and on an owned partition', () => {
    const q = new DueQueue(MIN);
    q.assign([1]);
    q.loaded([], q.nextWindow(0).until);
    expect(q.offer({ id: 'later', dueAt: 2 * MIN }, 1)).toBe(false); // the next refill loads it
    expect(q.offer({ id: 'other', dueAt: 1000 }, 2)).toBe(false); // another instance's partition
    expect(q.offer({ id: 'soon', dueAt: 1000 }, 1)).toBe(true);
    expect(ids(q, MIN, 10)).toEqual(['soon']);
  });

  it('forgets everything on a rebalance, so the new partitions are loaded from the table', () => {
    const q = new DueQueue(MIN);
    q.assign([0]);
    q.loaded([{ id: 'a', dueAt: 1000 }], MIN);
    q.assign([1, 0]);
    expect(q.partitions).toEqual([0, 1]);
    expect(q.size).toBe(0);
    expect(q.offer({ id: 'b', dueAt: 1000 }, 0)).toBe(false); // nothing loaded yet: wait for the refill
  });

  it('reloads the whole window after a rebalance and every n-th time, otherwise only beyond what it holds', () => {
    const q = new DueQueue(MIN, 3);
    q.assign([0]);
    const first = q.nextWindow(0);
    expect(first).toEqual({ from: 0, until: MIN });
    q.loaded([], first.until);
    expect(q.nextWindow(30_000)).toEqual({ from: MIN, until: 90_000 });
    q.loaded([], 90_000);
    expect(q.nextWindow(60_000)).toEqual({ from: 90_000, until: 2 * MIN });
    q.loaded([], 2 * MIN);
    expect(q.nextWindow(90_000)).toEqual({ from: 0, until: 150_000 });
    q.assign([1]);
    expect(q.nextWindow(100_000).from).toBe(0);
  });

  it('keeps a taken row that is not ready aside, not added twice by a refill, and hands it out again once released', () => {
    const q = new DueQueue(MIN);
    q.assign([0]);
    q.loaded([{ id: 'a', dueAt: 1000 }], MIN);
    q.hold(q.takeDue(2000, 10));
    expect(ids(q, 2000, 10)).toEqual([]);
    q.loaded([{ id: 'a', dueAt: 1000 }], MIN);
    expect(ids(q, 2000, 10)).toEqual([]);
    expect(q.release()).toBe(1);
    expect(ids(q, 2000, 10)).toEqual(['a']);
  });
});

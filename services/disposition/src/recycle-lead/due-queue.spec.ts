import { DueQueue } from './due-queue';

describe('due queue', () => {
  it('hands out due entries earliest first and keeps later ones', () => {
    const q = new DueQueue();
    for (const [id, dueAt] of [['c', 30], ['a', 10], ['d', 40], ['b', 20]] as const) q.push({ id, contactKey: `k-${id}`, dueAt });
    expect(q.popDue(25, 10).map((e) => e.id)).toEqual(['a', 'b']);
    expect(q.size).toBe(2);
    expect(q.peek()?.id).toBe('c');
  });

  it('holds an id once, so a row offered after commit and loaded by a refill fires once', () => {
    const q = new DueQueue();
    q.push({ id: 'a', contactKey: 'k', dueAt: 10 });
    q.push({ id: 'a', contactKey: 'k', dueAt: 10 });
    expect(q.popDue(100, 10)).toHaveLength(1);
    expect(q.has('a')).toBe(false);
  });

  it('stops at the batch limit', () => {
    const q = new DueQueue();
    for (let i = 0; i < 5; i++) q.push({ id: `e${i}`, contactKey: 'k', dueAt: i });
    expect(q.popDue(100, 3).map((e) => e.id)).toEqual(['e0', 'e1', 'e2']);
    expect(q.size).toBe(2);
  });
});

import fc from 'fast-check';
import { MinHeap } from './min-heap';

describe('scheduler heap', () => {
  it('pops entries in due order whatever the push order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e12 })), (dues) => {
        const heap = new MinHeap<{ dueAt: number }>();
        dues.forEach((dueAt) => heap.push({ dueAt }));
        const out: number[] = [];
        while (heap.size) out.push(heap.pop()!.dueAt);
        expect(out).toEqual([...dues].sort((a, b) => a - b));
      }),
    );
  });
});

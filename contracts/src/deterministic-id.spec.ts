import { z } from 'zod';
import { deterministicId } from './deterministic-id';

describe('deterministic event ids', () => {
  it('are the same for the same cause and step, and valid UUIDs', () => {
    const a = deterministicId('3b0c…cause', 'LeadAssigned');
    expect(deterministicId('3b0c…cause', 'LeadAssigned')).toBe(a);
    expect(z.uuid().safeParse(a).success).toBe(true);
    expect(a[14]).toBe('5');
  });

  it('differ when the cause or the step differs', () => {
    const ids = new Set([deterministicId('c1', 's1'), deterministicId('c1', 's2'), deterministicId('c2', 's1'), deterministicId('c1s', '1')]);
    expect(ids.size).toBe(4);
  });
});

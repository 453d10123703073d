import { deterministicId, uuidV5 } from './deterministic-id';

describe('deterministic ids', () => {
  it('match the RFC 4122 v5 reference vector (DNS namespace, "python.org")', () => {
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
  });

  it('are stable for the same parts and differ for different parts', () => {
    expect(deterministicId('evt-1', 'SlaBreached', 0)).toBe(deterministicId('evt-1', 'SlaBreached', 0));
    expect(deterministicId('evt-1', 'SlaBreached', 0)).not.toBe(deterministicId('evt-1', 'SlaBreached', 1));
    expect(deterministicId('a:b', 'c')).not.toBe(deterministicId('a', 'b:c'));
  });

  it('have the version-5 and RFC 4122 variant bits', () => {
    expect(deterministicId('x')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('reject a namespace that is not a UUID', () => {
    expect(() => uuidV5('x', 'nope')).toThrow(/namespace "nope" is not a UUID/);
  });
});

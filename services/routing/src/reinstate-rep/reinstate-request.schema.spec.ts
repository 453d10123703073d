import { parseReinstateRequest } from './reinstate-request.schema';

describe('reinstate request body', () => {
  it('accepts an optional note', () => {
    expect(parseReinstateRequest({ note: 'back from coaching' })).toEqual({ ok: true, value: { note: 'back from coaching' } });
    expect(parseReinstateRequest({})).toEqual({ ok: true, value: {} });
  });

  // Identity (issue #12): who reinstates is the verified principal; older clients may still send managerId.
  it('still accepts a managerId from older clients (the controller ignores it)', () => {
    expect(parseReinstateRequest({ managerId: 'mgr-emea' })).toEqual({ ok: true, value: { managerId: 'mgr-emea' } });
  });

  it('names an unknown field', () => {
    const r = parseReinstateRequest({ by: 'x' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.join('; ')).toMatch(/unknown field\(s\) "by"/);
  });

  it('rejects a body that is not an object', () => {
    expect(parseReinstateRequest('mgr')).toEqual({ ok: false, problems: [expect.stringMatching(/^body: must be a JSON object/)] });
  });
});

import { parseReinstateRequest } from './reinstate-request.schema';

describe('reinstate request body', () => {
  it('accepts a manager id and an optional note', () => {
    expect(parseReinstateRequest({ managerId: 'mgr-emea', note: 'back from coaching' })).toEqual({ ok: true, value: { managerId: 'mgr-emea', note: 'back from coaching' } });
  });

  it('names the missing field', () => {
    const r = parseReinstateRequest({ note: 'x' });
    expect(r).toEqual({ ok: false, problems: [expect.stringMatching(/^body\.managerId: managerId is required/)] });
  });

  it('names an empty field and an unknown one', () => {
    const r = parseReinstateRequest({ managerId: ' ', by: 'x' });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.join('; ')).toMatch(/unknown field\(s\) "by"/);
    expect(!r.ok && r.problems.join('; ')).toMatch(/body\.managerId: managerId must not be empty/);
  });

  it('rejects a body that is not an object', () => {
    expect(parseReinstateRequest('mgr')).toEqual({ ok: false, problems: [expect.stringMatching(/^body: must be a JSON object/)] });
  });
});

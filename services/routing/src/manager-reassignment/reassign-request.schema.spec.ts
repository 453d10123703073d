import { parseReassignRequest } from './reassign-request.schema';

describe('the reassign request body', () => {
  it('takes the chosen rep and an optional note', () => {
    expect(parseReassignRequest({ toRepId: 'cai', note: 'speaks German' })).toEqual({ ok: true, value: { toRepId: 'cai', note: 'speaks German' } });
  });

  it('names the missing rep, an unknown field and a non-object body', () => {
    expect(parseReassignRequest({})).toEqual({ ok: false, problems: ['body.toRepId: required: the id of the rep who should own the lead'] });
    expect(parseReassignRequest({ toRepId: 'cai', fromRepId: 'ava' })).toEqual({ ok: false, problems: ['body: unknown field(s) "fromRepId" (allowed: toRepId, note)'] });
    expect(parseReassignRequest('cai')).toMatchObject({ ok: false, problems: [expect.stringContaining('must be a JSON object')] });
  });
});

import { BadRequestException } from '@nestjs/common';
import { parseOutOfRotationQuery } from './out-of-rotation-query.util';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof BadRequestException) return (e.getResponse() as { message: string }).message;
    throw e;
  }
  throw new Error('expected a 400');
}

describe('query parameters of the reps-out-of-rotation endpoint', () => {
  it('defaults to the first 100 reps of every rep', () => {
    expect(parseOutOfRotationQuery({})).toEqual({ rep: undefined, team: undefined, limit: 100, offset: 0 });
  });

  it('accepts a rep, a team and a page', () => {
    expect(parseOutOfRotationQuery({ rep: 'ava', limit: '10', offset: '20' })).toEqual({ rep: 'ava', team: undefined, limit: 10, offset: 20 });
    expect(parseOutOfRotationQuery({ team: 'emea' })).toMatchObject({ team: 'emea' });
  });

  it('names the parameter and what is accepted in every 400', () => {
    expect(messageOf(() => parseOutOfRotationQuery({ pool: 'emea' }))).toBe('query parameter "pool" is not known here; known parameters: rep, team, limit, offset');
    expect(messageOf(() => parseOutOfRotationQuery({ limit: '0' }))).toBe('query parameter "limit" must be an integer from 1 to 1000 (got "0")');
    expect(messageOf(() => parseOutOfRotationQuery({ offset: '-1' }))).toMatch(/"offset" must be an integer from 0/);
    expect(messageOf(() => parseOutOfRotationQuery({ rep: ' ' }))).toMatch(/"rep" must be a non-empty string/);
    expect(messageOf(() => parseOutOfRotationQuery({ rep: ['a', 'b'] }))).toBe('query parameter "rep" must be given once');
  });
});

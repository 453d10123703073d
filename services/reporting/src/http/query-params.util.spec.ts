import { BadRequestException } from '@nestjs/common';
import { decodeCursor, encodeCursor, integerIn, oneOf, onlyKnown, period } from './query-params.util';

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof BadRequestException) return (e.getResponse() as { message: string }).message;
    throw e;
  }
  throw new Error('expected a 400');
}

describe('query parameters of the reporting API', () => {
  it('names the parameter and the accepted form in every 400', () => {
    expect(messageOf(() => period({ from: '2026-02-30', to: '2026-03-01' }))).toBe('query parameter "from" must be a calendar date YYYY-MM-DD (got "2026-02-30")');
    expect(messageOf(() => period({ from: '2026-03-02' }))).toMatch(/"to" is required/);
    expect(messageOf(() => period({ from: '2026-03-02', to: '2026-03-01' }))).toMatch(/"to" must not be before "from"/);
    expect(messageOf(() => oneOf({ dimension: 'x' }, 'dimension', ['rep', 'team']))).toBe('query parameter "dimension" must be one of rep, team (got "x")');
    expect(messageOf(() => integerIn({ limit: '0' }, 'limit', 1, 500, 50))).toMatch(/"limit" must be an integer from 1 to 500/);
    expect(messageOf(() => onlyKnown({ tem: 'a' }, ['team']))).toMatch(/"tem" is not known here/);
    expect(messageOf(() => decodeCursor({ cursor: 'nonsense' }))).toMatch(/"cursor" is not a cursor/);
  });

  it('accepts valid values and round-trips cursors', () => {
    expect(period({ from: '2026-03-01', to: '2026-03-31' })).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect(integerIn({}, 'limit', 1, 500, 50)).toBe(50);
    expect(decodeCursor({ cursor: encodeCursor(['2026-03-01T00:00:00.000Z', 'lead-1']) })).toEqual(['2026-03-01T00:00:00.000Z', 'lead-1']);
  });
});

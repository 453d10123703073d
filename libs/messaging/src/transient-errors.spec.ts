import { isTransientDatabaseError, transientCode } from './transient-errors';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isTransientDatabaseError', () => {
  it.each([
    ['serialization failure', '40001'],
    ['deadlock', '40P01'],
    ['lock timeout', '55P03'],
    ['statement timeout / query cancelled', '57014'],
    ['admin shutdown', '57P01'],
    ['crash shutdown', '57P02'],
    ['cannot connect now', '57P03'],
    ['connection failure', '08006'],
    ['connection does not exist', '08003'],
    ['socket reset', 'ECONNRESET'],
    ['connection refused', 'ECONNREFUSED'],
  ])('retries a %s (%s)', (_, code) => {
    expect(isTransientDatabaseError(pgError(code))).toBe(true);
  });

  it('recognises node-postgres connection losses that carry no code', () => {
    expect(isTransientDatabaseError(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransientDatabaseError(new Error('timeout exceeded when trying to connect'))).toBe(true);
  });

  it('looks through TypeORM driverError, cause and wrapper originals', () => {
    expect(isTransientDatabaseError(Object.assign(new Error('query failed'), { driverError: pgError('40P01') }))).toBe(true);
    expect(isTransientDatabaseError(new Error('wrapped', { cause: pgError('40001') }))).toBe(true);
    expect(transientCode({ original: { driverError: pgError('55P03') } })).toBe('55P03');
  });

  it.each([
    ['a plain handler error', new Error('domain exploded')],
    ['a unique violation', pgError('23505')],
    ['a syntax error', pgError('42601')],
    ['a check violation', pgError('23514')],
    ['not an error at all', 'boom'],
    ['null', null],
  ])('does not retry %s', (_, error) => {
    expect(isTransientDatabaseError(error)).toBe(false);
  });

  it('stops at a cyclic cause chain', () => {
    const a: { cause?: unknown } = {};
    a.cause = a;
    expect(isTransientDatabaseError(a)).toBe(false);
  });
});

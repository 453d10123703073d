import { DEFAULT_DATABASE_TIMEOUTS, sessionOptions } from './database';

describe('sessionOptions', () => {
  it('sets statement, lock and idle-in-transaction timeouts, 30 s / 10 s / 60 s by default', () => {
    expect(DEFAULT_DATABASE_TIMEOUTS).toEqual({ statementMs: 30_000, lockMs: 10_000, idleInTransactionMs: 60_000 });
    expect(sessionOptions()).toBe('-c statement_timeout=30000 -c lock_timeout=10000 -c idle_in_transaction_session_timeout=60000');
  });

  it('takes the given limits, 0 meaning none', () => {
    expect(sessionOptions({ statementMs: 500, idleInTransactionMs: 0 })).toBe('-c statement_timeout=500 -c lock_timeout=10000 -c idle_in_transaction_session_timeout=0');
  });

  it('refuses a limit that is not whole milliseconds, naming it', () => {
    expect(() => sessionOptions({ lockMs: -1 })).toThrow('database timeout lockMs must be a whole number of milliseconds >= 0 (0: no limit), got -1');
    expect(() => sessionOptions({ statementMs: 1.5 })).toThrow(/statementMs/);
  });
});

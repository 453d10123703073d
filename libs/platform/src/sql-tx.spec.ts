import { prepared, statementQuery, type Tx } from './sql-tx';

describe('statementQuery', () => {
  const sql = 'SELECT next_offset FROM "timer".consumer_offsets WHERE group_id = $1';

  it('names a prepared statement after its text: the same text gets the same name, values apart', () => {
    const a = statementQuery(sql, ['timer'], true);
    const b = statementQuery(sql, ['routing'], true);
    expect(a.name).toMatch(/^lead_sla_[0-9a-f]{24}$/);
    expect(b.name).toBe(a.name);
    expect(a).toEqual({ name: a.name, text: sql, values: ['timer'] });
  });

  it('gives another text another name (another schema is another text)', () => {
    const other = sql.replace('"timer"', '"routing"');
    expect(statementQuery(other, [], true).name).not.toBe(statementQuery(sql, [], true).name);
  });

  it('leaves the statement unnamed when prepared statements are off', () => {
    expect(statementQuery(sql, ['timer'], false)).toEqual({ text: sql, values: ['timer'] });
  });

  it('keeps names within Postgres identifier length (63 bytes)', () => {
    expect(statementQuery('x'.repeat(10_000), [], true).name!.length).toBeLessThanOrEqual(63);
  });
});

describe('prepared', () => {
  it('runs the statements of a Tx it did not make (a test double) as they are', async () => {
    const calls: string[] = [];
    const tx: Tx = { query: async (s) => (calls.push(s), []), execute: async (s) => (calls.push(s), 1) };
    expect(prepared(tx)).toBe(tx);
    await prepared(tx).execute('DELETE FROM t');
    expect(calls).toEqual(['DELETE FROM t']);
  });
});

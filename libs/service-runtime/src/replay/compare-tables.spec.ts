import type { Client } from 'pg';
import { compareTable, describeDifference, isEqual, showDifferences } from './compare-tables';

/** A stand-in that answers the one SELECT compareTable sends with fixed rows (the comparison is what is tested). */
const rowsClient = (rows: Array<Record<string, unknown>>) => ({ query: async () => ({ rows }) }) as unknown as Client;

describe('comparing a replayed table with the live one', () => {
  const table = { table: 'routing.reps', key: ['rep_id'], ignore: ['updated_at'] };

  it('finds equal rows equal, whatever the key order of their JSON and the bookkeeping columns', async () => {
    const live = rowsClient([{ rep_id: 'ana', state: { a: 1, b: [1, 2] }, updated_at: new Date(1) }]);
    const replay = rowsClient([{ rep_id: 'ana', state: { b: [1, 2], a: 1 }, updated_at: new Date(2) }]);
    const d = await compareTable(live, replay, table);
    expect(isEqual(d)).toBe(true);
    expect(describeDifference(d)).toBe('routing.reps: equal (1 rows)');
  });

  it('names the rows only one side has and the columns that differ', async () => {
    const live = rowsClient([{ rep_id: 'ana', in_rotation: false }, { rep_id: 'bob', in_rotation: true }]);
    const replay = rowsClient([{ rep_id: 'ana', in_rotation: true }, { rep_id: 'cy', in_rotation: true }]);
    const d = await compareTable(live, replay, table);
    expect(d.onlyLive).toEqual(['bob']);
    expect(d.onlyReplay).toEqual(['cy']);
    expect(d.changed).toEqual([{ key: 'ana', columns: ['in_rotation'], live: { in_rotation: 'false' }, replay: { in_rotation: 'true' } }]);
    expect(showDifferences(d)).toEqual(['  routing.reps ana in_rotation: live false | replay true']);
    expect(describeDifference(d)).toContain('ana: in_rotation');
  });
});

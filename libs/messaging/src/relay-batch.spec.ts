import { DEFAULT_RELAY_BATCH_BYTES, messageBytes, takeWithinBytes } from './relay-batch';

const row = (id: number, valueBytes: number) => ({ id, key: 'lead-1', value: Buffer.alloc(valueBytes, 'x'), headers: { 'event-type': 'LeadTouched' } });
const size = (rows: ReadonlyArray<ReturnType<typeof row>>) => rows.reduce((n, r) => n + messageBytes(r), 0);

describe('takeWithinBytes', () => {
  it('is bounded well under the broker default of 1 MiB', () => {
    expect(DEFAULT_RELAY_BATCH_BYTES).toBeLessThanOrEqual(512 * 1024);
  });

  it('counts key, value, headers and record framing', () => {
    const bare = messageBytes({ key: null, value: Buffer.alloc(100), headers: {} });
    expect(bare).toBeGreaterThan(100);
    expect(messageBytes({ key: 'lead-ä', value: Buffer.alloc(100), headers: {} })).toBe(bare + Buffer.byteLength('lead-ä'));
    expect(messageBytes({ key: null, value: Buffer.alloc(100), headers: { a: 'bc' } })).toBeGreaterThan(bare + 3);
  });

  it('takes the longest in-order prefix that fits the budget', () => {
    const rows = Array.from({ length: 10 }, (_, i) => row(i, 1000));
    const budget = size(rows.slice(0, 4)) + 10;
    const taken = takeWithinBytes(rows, budget);
    expect(taken.map((r) => r.id)).toEqual([0, 1, 2, 3]);
    expect(size(taken)).toBeLessThanOrEqual(budget);
  });

  it('stops at the first row that does not fit, even if a later one would', () => {
    const rows = [row(0, 100), row(1, 5000), row(2, 10)];
    expect(takeWithinBytes(rows, size([rows[0]]) + 200).map((r) => r.id)).toEqual([0]);
  });

  it('sends a row larger than the budget alone', () => {
    const rows = [row(0, 10_000), row(1, 10)];
    expect(takeWithinBytes(rows, 1000).map((r) => r.id)).toEqual([0]);
  });

  it('takes everything when it all fits, and nothing from nothing', () => {
    const rows = [row(0, 10), row(1, 10)];
    expect(takeWithinBytes(rows, DEFAULT_RELAY_BATCH_BYTES)).toEqual(rows);
    expect(takeWithinBytes([], 100)).toEqual([]);
  });

  it('never exceeds the budget with many rows', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => row(i, 900 + (i % 7) * 50));
    let rest = rows;
    while (rest.length > 0) {
      const taken = takeWithinBytes(rest, 64 * 1024);
      expect(taken.length).toBeGreaterThan(0);
      expect(size(taken)).toBeLessThanOrEqual(64 * 1024);
      rest = rest.slice(taken.length);
    }
  });

  it('refuses a budget that is not positive', () => {
    expect(() => takeWithinBytes([row(0, 1)], 0)).toThrow("the relay's batch budget must be a positive number of bytes, got 0");
  });
});

import { RetentionPruner, type PruneTask } from './retention-pruner';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-30T12:00:00Z');

function quietLogger() {
  const warnings: Array<Record<string, unknown> | undefined> = [];
  return { warnings, logger: { debug: () => undefined, info: () => undefined, warn: (_m: string, f?: Record<string, unknown>) => void warnings.push(f), error: () => undefined } };
}

describe('RetentionPruner', () => {
  it('deletes batch after batch until one comes back short, each table with its own cut-off, and counts what it removed', async () => {
    const calls: Array<{ table: string; before: string; limit: number }> = [];
    let left = 7;
    const processed: PruneTask = {
      table: 's.processed_events',
      prune: async (before, limit) => {
        calls.push({ table: 's.processed_events', before: before.toISOString(), limit });
        const n = Math.min(left, limit);
        left -= n;
        return n;
      },
    };
    const keys: PruneTask = {
      table: 's.keys',
      retentionMs: DAY,
      prune: async (before, limit) => {
        calls.push({ table: 's.keys', before: before.toISOString(), limit });
        return 0;
      },
    };
    const counted: Array<[string, number]> = [];
    const { logger } = quietLogger();
    const pruner = new RetentionPruner({ tasks: [processed, keys], retentionMs: 30 * DAY, logger, now: () => NOW, batchSize: 3, onPruned: (t, n) => counted.push([t, n]) });
    expect(await pruner.runOnce()).toEqual({ 's.processed_events': 7, 's.keys': 0 });
    expect(calls).toEqual([
      { table: 's.processed_events', before: '2026-10-31T12:00:00.000Z', limit: 3 },
      { table: 's.processed_events', before: '2026-10-31T12:00:00.000Z', limit: 3 },
      { table: 's.processed_events', before: '2026-10-31T12:00:00.000Z', limit: 3 },
      { table: 's.keys', before: '2026-11-29T12:00:00.000Z', limit: 3 },
    ]);
    expect(counted).toEqual([['s.processed_events', 3], ['s.processed_events', 3], ['s.processed_events', 1]]);
  });

  it('logs a failing table with its name and still prunes the others', async () => {
    const { logger, warnings } = quietLogger();
    const pruner = new RetentionPruner({
      tasks: [
        { table: 's.broken', prune: async () => Promise.reject(new Error('relation "s.broken" does not exist')) },
        { table: 's.fine', prune: async () => 2 },
      ],
      retentionMs: DAY, logger, now: () => NOW,
    });
    expect(await pruner.runOnce()).toEqual({ 's.broken': 0, 's.fine': 2 });
    expect(warnings).toEqual([{ table: 's.broken', error: 'relation "s.broken" does not exist' }]);
  });
});

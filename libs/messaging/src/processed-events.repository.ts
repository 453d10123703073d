import type { DataSource } from 'typeorm';

/**
 * The pruning SQL of a service's processed_events (the ids the transactional
 * consumer claims; claiming stays in the consumer's transaction).
 */
export class ProcessedEventsRepository {
  constructor(
    private readonly dataSource: DataSource,
    readonly schema: string,
  ) {}

  /**
   * Deletes up to `limit` ids applied before `before`, oldest first; returns
   * how many. A short batch keeps the delete from holding locks or bloating
   * one transaction; the pruner repeats it until a batch comes back short.
   */
  async pruneBefore(before: Date, limit: number): Promise<number> {
    const [, removed] = (await this.dataSource.query(
      `DELETE FROM "${this.schema}".processed_events WHERE event_id IN (
         SELECT event_id FROM "${this.schema}".processed_events WHERE processed_at < $1 ORDER BY processed_at LIMIT $2)`,
      [before, limit],
    )) as [unknown[], number];
    return removed;
  }
}

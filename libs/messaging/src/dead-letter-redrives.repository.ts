import type { DataSource } from 'typeorm';
import type { DeadLetter } from './dead-letters';
import { OPERATIONS_SCHEMA } from './dead-letter-redrives.migration';

/** An earlier re-drive of a dead letter: published, or claimed and never marked (in doubt). */
export interface RedriveRecord {
  readonly state: 'claimed' | 'published';
  readonly claimedAt: Date;
  readonly publishedAt: Date | null;
}

interface Row {
  dlq_partition: number;
  dlq_offset: string;
  state: 'claimed' | 'published';
  claimed_at: Date;
  published_at: Date | null;
}

const recordOf = (r: Row): RedriveRecord => ({ state: r.state, claimedAt: r.claimed_at, publishedAt: r.published_at });

/** All SQL of the re-drive records (schema: `operations` unless given, e.g. a test's own). */
export class DeadLetterRedrivesRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly dlqTopic: string,
    readonly schema: string = OPERATIONS_SCHEMA,
  ) {}

  private get table() {
    return `"${this.schema}".dead_letter_redrives`;
  }

  /**
   * Claims the dead letter for one re-drive (its own committed statement, before
   * anything is published). Null: claimed; otherwise the earlier record, and
   * this run must not publish it.
   */
  async claim(letter: DeadLetter, originalTopic: string): Promise<RedriveRecord | null> {
    const claimed = await this.dataSource.query(
      `INSERT INTO ${this.table} (dlq_topic, dlq_partition, dlq_offset, original_topic, event_id, state)
       VALUES ($1, $2, $3, $4, $5, 'claimed') ON CONFLICT DO NOTHING RETURNING dlq_offset`,
      [this.dlqTopic, letter.partition, letter.offset, originalTopic, letter.eventId],
    );
    if (claimed.length > 0) return null;
    return (await this.recordsOf([letter])).get(letter.id) ?? null;
  }

  async markPublished(letter: DeadLetter, partition: number, offset: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE ${this.table} SET state = 'published', published_at = now(), published_partition = $4, published_offset = $5
       WHERE dlq_topic = $1 AND dlq_partition = $2 AND dlq_offset = $3`,
      [this.dlqTopic, letter.partition, letter.offset, partition, offset],
    );
  }

  /** Earlier re-drives of these dead letters, by id (`<partition>:<offset>`). */
  async recordsOf(letters: readonly DeadLetter[]): Promise<Map<string, RedriveRecord>> {
    if (letters.length === 0) return new Map();
    const rows: Row[] = await this.dataSource.query(
      `SELECT dlq_partition, dlq_offset::text AS dlq_offset, state, claimed_at, published_at FROM ${this.table}
       WHERE dlq_topic = $1 AND (dlq_partition, dlq_offset) IN (SELECT * FROM unnest($2::int[], $3::bigint[]))`,
      [this.dlqTopic, letters.map((l) => l.partition), letters.map((l) => l.offset)],
    );
    return new Map(rows.map((r) => [`${r.dlq_partition}:${r.dlq_offset}`, recordOf(r)]));
  }
}

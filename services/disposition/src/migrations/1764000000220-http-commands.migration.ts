import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Events published for HTTP requests with an Idempotency-Key: a retry finds its event here and publishes nothing. */
export class DispositionHttpCommands1764000000220 implements MigrationInterface {
  name = 'DispositionHttpCommands1764000000220';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE disposition.http_commands (
      event_id uuid PRIMARY KEY, type text NOT NULL, lead_id text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE disposition.http_commands');
  }
}

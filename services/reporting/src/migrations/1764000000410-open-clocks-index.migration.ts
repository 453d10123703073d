import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dashboard asks for every running clock (GET /api/clocks/open), most
 * urgent first; a partial index keeps that a short read however many
 * stopped clocks the table holds.
 */
export class OpenClocksIndex1764000000410 implements MigrationInterface {
  name = 'OpenClocksIndex1764000000410';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX clock_instances_open ON reporting.clock_instances (deadline, lead_id, clock_id) WHERE outcome IS NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX reporting.clock_instances_open');
  }
}

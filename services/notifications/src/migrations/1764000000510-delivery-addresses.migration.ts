import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deliveries to people's own addresses (the directory): the Slack user or
 * channel, or the email address, each delivery was planned for, so a retry
 * goes where the policy in force at the event said. Null: the channel's one
 * configured URL, as before.
 */
export class DeliveryAddresses1764000000510 implements MigrationInterface {
  name = 'DeliveryAddresses1764000000510';
  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE notifications.deliveries ADD COLUMN address text');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE notifications.deliveries DROP COLUMN address');
  }
}

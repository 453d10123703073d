import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `reporting.lead_rows.second_touch_same_channel`: the second touch repeated
 * the first touch's channel although the lead could be reached on another
 * (the policy's `clocks.secondTouchChannel: prefer` flag). Existing rows are
 * filled from the row they store, by the same rule as
 * libs/lead-lifecycle's secondTouchOnAnotherChannel.
 */
export class SecondTouchSameChannel1764000000360 implements MigrationInterface {
  name = 'SecondTouchSameChannel1764000000360';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE reporting.lead_rows ADD COLUMN second_touch_same_channel boolean');
    await q.query(`UPDATE reporting.lead_rows
      SET second_touch_same_channel = (row->'secondTouch'->>'channel') = (row->'firstTouch'->>'channel')
        AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(row->'channels') AS c(channel) WHERE c.channel <> row->'firstTouch'->>'channel')
      WHERE jsonb_typeof(row->'firstTouch') = 'object' AND jsonb_typeof(row->'secondTouch') = 'object'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE reporting.lead_rows DROP COLUMN second_touch_same_channel');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reject reason code of a rejected MQL (SalDecisionRecorded, policy
 * `dispositions.rejectReasons`) on the lead row, and the BI view
 * `bi.mql_rejections_v1` that marketing counts rejections with, by reason
 * and source (docs/bi-contract.md). Granted to `lead_sla_bi` like the other
 * views. The columns are written out: a migration is frozen.
 */
type ViewColumn = readonly [name: string, expression: string, comment: string];

const MQL_REJECTIONS_V1: readonly ViewColumn[] = [
  ['lead_id', 'lead_id', 'The rejected lead.'],
  ['rejected_at', 'rejected_at', 'When the disposition service recorded the rejection (SalDecisionRecorded).'],
  ['rejected_day', '(rejected_at AT TIME ZONE \'UTC\')::date', 'UTC day of the rejection.'],
  ['reason_code', 'reject_reason_code', "The policy's reject reason code (uncoded: a rejection made before reason codes existed)."],
  ['reason', 'reject_reason', 'Free text the rep added, if any.'],
  ['source', 'source', 'Lead source (LeadCreated.source).'],
  ['segment', 'segment', 'Lead segment.'],
  ['territory', 'territory', 'Lead territory.'],
  ['tier', 'tier', 'Intent/fit tier.'],
  ['rejected_by', '"row"->>\'rejectedBy\'', 'Who rejected: the owner, the owner\'s manager or an admin.'],
];

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export class MqlRejections1764000000370 implements MigrationInterface {
  name = 'MqlRejections1764000000370';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE reporting.lead_rows ADD COLUMN reject_reason_code text');
    const columns = MQL_REJECTIONS_V1.map(([n, e]) => `${e} AS ${n}`).join(', ');
    await q.query(`CREATE VIEW bi.mql_rejections_v1 AS SELECT ${columns} FROM reporting.lead_rows WHERE rejected_at IS NOT NULL`);
    await q.query(`COMMENT ON VIEW bi.mql_rejections_v1 IS ${quote('Rejected MQLs with the policy reason code and the lead source: count by reason_code and source for marketing and the scoring model.')}`);
    for (const [n, , c] of MQL_REJECTIONS_V1) await q.query(`COMMENT ON COLUMN bi.mql_rejections_v1.${n} IS ${quote(c)}`);
    await q.query('GRANT SELECT ON bi.mql_rejections_v1 TO lead_sla_bi');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW bi.mql_rejections_v1');
    await q.query('ALTER TABLE reporting.lead_rows DROP COLUMN reject_reason_code');
  }
}

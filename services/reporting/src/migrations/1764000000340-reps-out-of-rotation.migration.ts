import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reps' rotation status (projection of RepRotationChanged) and the BI view
 * `bi.reps_out_of_rotation_v1` over it (docs/bi-contract.md). The view is
 * readable by `lead_sla_bi` through the default privileges of schema `bi`
 * (BiContractV1); the grant is repeated so the view does not depend on them.
 *
 * The columns are written out here on purpose: a migration is frozen, while
 * project-events/read-model-columns.ts may grow with a later one.
 */
type ViewColumn = readonly [name: string, expression: string, comment: string];

const REPS_OUT_OF_ROTATION_V1: readonly ViewColumn[] = [
  ['rep_id', 'rep_id', 'The rep taken out of the round-robin rotation (policy rep id).'],
  ['out_since', 'since', 'When routing took the rep out of rotation (RepRotationChanged.occurredAt).'],
  ['cause', 'cause', 'Why: sla_misses (the rotation penalty of the policy).'],
  ['miss_count', 'jsonb_array_length(misses)', 'How many SLA misses inside the policy window took the rep out.'],
  ['misses', 'misses', 'The misses as a JSON array of {leadId, clock, breachedAt}.'],
  ['policy_version', 'policy_version', 'Policy version in force when the rep was taken out.'],
];

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export class RepsOutOfRotation1764000000340 implements MigrationInterface {
  name = 'RepsOutOfRotation1764000000340';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE reporting.rep_rotation (
      rep_id text PRIMARY KEY, in_rotation boolean NOT NULL, since timestamptz NOT NULL, cause text NOT NULL,
      misses jsonb NOT NULL, changed_by text, event_id text NOT NULL, policy_version text NOT NULL)`);
    await q.query(`CREATE INDEX rep_rotation_out ON reporting.rep_rotation (since, rep_id) WHERE NOT in_rotation`);

    const columns = REPS_OUT_OF_ROTATION_V1.map(([n, e]) => `${e} AS ${n}`).join(', ');
    await q.query(`CREATE VIEW bi.reps_out_of_rotation_v1 AS SELECT ${columns} FROM reporting.rep_rotation WHERE NOT in_rotation`);
    await q.query(`COMMENT ON VIEW bi.reps_out_of_rotation_v1 IS ${quote('Reps currently out of the round-robin rotation, with the misses that took them out and since when. A manager reinstates them.')}`);
    for (const [n, , c] of REPS_OUT_OF_ROTATION_V1) await q.query(`COMMENT ON COLUMN bi.reps_out_of_rotation_v1.${n} IS ${quote(c)}`);
    await q.query('GRANT SELECT ON bi.reps_out_of_rotation_v1 TO lead_sla_bi');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW bi.reps_out_of_rotation_v1');
    await q.query('DROP TABLE reporting.rep_rotation');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The policy history (projection of PolicyPublished: the copies on every
 * partition make one row per version) and its BI view
 * `bi.policy_versions_v1` (docs/bi-contract.md). Columns written out here on
 * purpose: a migration is frozen.
 */
type ViewColumn = readonly [name: string, expression: string, comment: string];

const POLICY_VERSIONS_V1: readonly ViewColumn[] = [
  ['version', 'version', 'The policy version (the `version` of the published document); decision events carry it as policyVersion.'],
  ['published_at', 'published_at', 'When it was published; every service applies it from its PolicyPublished on each partition of the log.'],
  ['published_by_kind', "published_by->>'kind'", 'Who published it: person, api_key, demo, or policy_file (routing published its policy file).'],
  ['published_by_id', "published_by->>'id'", 'The directory id of the person, the API key id, or the path of the policy file.'],
  ['published_by_role', "published_by->>'role'", 'The role of who published it (admin; machine for the policy file).'],
  ['reason', 'reason', 'Why, as the publisher wrote it.'],
  ['previous_version', 'previous_version', 'The version it replaced (null for the first version on the log).'],
  ['change_summary', 'summary', 'What changed from the previous version, in one line (items added, removed or changed by id; settings by path).'],
];

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export class PolicyVersions1764000000914 implements MigrationInterface {
  name = 'PolicyVersions1764000000914';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE reporting.policy_versions (
      version text PRIMARY KEY, published_at timestamptz NOT NULL, published_by jsonb NOT NULL, reason text NOT NULL,
      previous_version text, summary text NOT NULL, document jsonb NOT NULL)`);
    await q.query('CREATE INDEX policy_versions_newest ON reporting.policy_versions (published_at DESC, version DESC)');

    const columns = POLICY_VERSIONS_V1.map(([n, e]) => `${e} AS ${n}`).join(', ');
    await q.query(`CREATE VIEW bi.policy_versions_v1 AS SELECT ${columns} FROM reporting.policy_versions`);
    await q.query(`COMMENT ON VIEW bi.policy_versions_v1 IS ${quote('Every policy version published on the log: when, by whom, why and what changed. Decision events name the version they were decided under.')}`);
    for (const [n, , c] of POLICY_VERSIONS_V1) await q.query(`COMMENT ON COLUMN bi.policy_versions_v1.${n} IS ${quote(c)}`);
    await q.query('GRANT SELECT ON bi.policy_versions_v1 TO lead_sla_bi');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW bi.policy_versions_v1');
    await q.query('DROP TABLE reporting.policy_versions');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reporting read models as real tables (DESIGN.md §6): lead rows with
 * the columns BI filters on plus the whole row as jsonb, breach/escalation
 * rows, the awaiting-first-touch board, and the daily scorecards as a view
 * over lead rows (percentile_disc keeps median/p90 exact and replay exact).
 *
 * Lead rows stored before this migration have only `row`: run
 * `npm run reporting:rebuild` once after upgrading to fill the columns.
 */
const CLOCKS = ['assign', 'first_touch', 'second_touch', 'accept_reject', 'response', 'unassigned_queue', 'effort', 'reply_escalation'];

const clockAggregates = CLOCKS.map(
  (c) => `
  count(*) FILTER (WHERE sla_${c}_status = 'met')::int AS ${c}_met,
  count(*) FILTER (WHERE sla_${c}_status = 'breached')::int AS ${c}_breached,
  count(*) FILTER (WHERE sla_${c}_status = 'pending')::int AS ${c}_pending,
  (count(*) FILTER (WHERE sla_${c}_status = 'met'))::double precision
    / NULLIF(count(*) FILTER (WHERE sla_${c}_status IN ('met', 'breached')), 0) AS ${c}_compliance_rate`,
).join(',');

/** The scorecard figures over any set of lead rows (same definitions as daily-scorecard.projection.ts). */
export const SCORECARD_AGGREGATES_V1 = `
  count(*)::int AS leads,
  count(assigned_at)::int AS assigned,
  avg(assignment_seconds) AS assignment_seconds_avg,
  percentile_disc(0.5) WITHIN GROUP (ORDER BY speed_to_lead_seconds) AS speed_to_lead_median_seconds,
  percentile_disc(0.9) WITHIN GROUP (ORDER BY speed_to_lead_seconds) AS speed_to_lead_p90_seconds,
  count(speed_to_lead_seconds)::int AS first_touched,
  count(contacted_at)::int AS contacted,
  count(contacted_at)::double precision / count(*) AS contact_rate,
  sum(attempts)::int AS attempts,
  sum(attempts)::double precision / count(*) AS attempts_per_lead,${clockAggregates},
  sum(breach_count)::int AS breaches,
  sum(escalation_count)::int AS escalations,
  sum(reassignment_count)::int AS fallbacks,
  count(*) FILTER (WHERE reassignment_count > 0)::int AS leads_with_fallback,
  count(*) FILTER (WHERE reached_mql)::int AS reached_mql,
  count(*) FILTER (WHERE reached_sal)::int AS reached_sal,
  count(*) FILTER (WHERE reached_sql)::int AS reached_sql,
  count(*) FILTER (WHERE reached_opportunity)::int AS reached_opportunity,
  (count(*) FILTER (WHERE reached_mql AND reached_sal))::double precision / NULLIF(count(*) FILTER (WHERE reached_mql), 0) AS mql_to_sal_rate,
  (count(*) FILTER (WHERE reached_sal AND reached_sql))::double precision / NULLIF(count(*) FILTER (WHERE reached_sal), 0) AS sal_to_sql_rate,
  (count(*) FILTER (WHERE reached_sql AND reached_opportunity))::double precision / NULLIF(count(*) FILTER (WHERE reached_sql), 0) AS sql_to_opportunity_rate,
  count(rejected_at)::int AS rejected,
  count(disposition_code)::int AS dispositioned,
  count(*) FILTER (WHERE disposition_complete)::int AS dispositions_complete,
  (count(*) FILTER (WHERE disposition_complete))::double precision / NULLIF(count(disposition_code), 0) AS disposition_completeness,
  count(recycled_at)::int AS recycled,
  count(recycled_at)::double precision / count(*) AS recycle_rate,
  count(sql_after_recycle_at)::int AS recycled_to_sql,
  count(sql_after_recycle_at)::double precision / NULLIF(count(recycled_at), 0) AS recycle_to_sql_rate,
  avg(time_to_recycle_seconds) AS time_to_recycle_seconds_avg`;

/** Lead rows once per dimension they count on (the scorecard cohort: first owner, source, segment; creation day). */
export const SCORECARD_CELLS_V1 = `
  SELECT 'rep'::text AS dimension, first_owner_rep_id AS key, l.* FROM reporting.lead_rows l WHERE first_owner_rep_id IS NOT NULL
  UNION ALL SELECT 'team'::text, first_owner_team_id, l.* FROM reporting.lead_rows l WHERE first_owner_team_id IS NOT NULL
  UNION ALL SELECT 'source'::text, source, l.* FROM reporting.lead_rows l
  UNION ALL SELECT 'segment'::text, segment, l.* FROM reporting.lead_rows l`;

export class ReportingReadModels1764000000310 implements MigrationInterface {
  name = 'ReportingReadModels1764000000310';

  async up(q: QueryRunner): Promise<void> {
    const clockColumns = CLOCKS.map((c) => `ADD COLUMN sla_${c}_status text`).join(', ');
    await q.query(`ALTER TABLE reporting.lead_rows DROP COLUMN updated_at,
      ADD COLUMN status text, ADD COLUMN created_at timestamptz, ADD COLUMN created_day date,
      ADD COLUMN source text, ADD COLUMN segment text, ADD COLUMN territory text, ADD COLUMN tier text, ADD COLUMN vip boolean,
      ADD COLUMN first_owner_rep_id text, ADD COLUMN first_owner_team_id text, ADD COLUMN current_rep_id text, ADD COLUMN current_team_id text,
      ADD COLUMN assigned_at timestamptz, ADD COLUMN assignment_seconds double precision,
      ADD COLUMN first_touch_at timestamptz, ADD COLUMN first_touch_channel text, ADD COLUMN second_touch_at timestamptz, ADD COLUMN second_touch_channel text,
      ADD COLUMN speed_to_lead_seconds double precision, ADD COLUMN attempts integer, ADD COLUMN contacted_at timestamptz, ADD COLUMN reassignment_count integer,
      ADD COLUMN accepted_at timestamptz, ADD COLUMN rejected_at timestamptz, ADD COLUMN reject_reason text, ADD COLUMN stage text, ADD COLUMN highest_stage text,
      ADD COLUMN reached_mql boolean, ADD COLUMN reached_sal boolean, ADD COLUMN reached_sql boolean, ADD COLUMN reached_opportunity boolean,
      ADD COLUMN disposition_code text, ADD COLUMN disposition_complete boolean,
      ADD COLUMN recycled_at timestamptz, ADD COLUMN recycle_count integer, ADD COLUMN time_to_recycle_seconds double precision, ADD COLUMN sql_after_recycle_at timestamptz,
      ADD COLUMN requalified_at timestamptz, ADD COLUMN suppressed_at timestamptz, ADD COLUMN breach_count integer, ADD COLUMN escalation_count integer,
      ${clockColumns}, ADD COLUMN first_touch_deadline timestamptz, ADD COLUMN last_event_at timestamptz`);
    await q.query(`CREATE INDEX lead_rows_rep_day ON reporting.lead_rows (first_owner_rep_id, created_day)`);
    await q.query(`CREATE INDEX lead_rows_team_day ON reporting.lead_rows (first_owner_team_id, created_day)`);
    await q.query(`CREATE INDEX lead_rows_source_day ON reporting.lead_rows (source, created_day)`);
    await q.query(`CREATE INDEX lead_rows_segment_day ON reporting.lead_rows (segment, created_day)`);
    await q.query(`CREATE INDEX lead_rows_day ON reporting.lead_rows (created_day)`);

    await q.query(`CREATE TABLE reporting.breach_rows (
      breach_key text PRIMARY KEY, kind text NOT NULL, event_id text NOT NULL, lead_id text NOT NULL, clock_id text NOT NULL, clock text NOT NULL,
      tier text NOT NULL, step integer NOT NULL, action text, last_step boolean, owner_rep_id text, team_id text, manager_id text,
      occurred_at timestamptz NOT NULL, day date NOT NULL, started_at timestamptz NOT NULL, coverage_start timestamptz NOT NULL,
      coverage_minutes double precision NOT NULL, deadline timestamptz NOT NULL, calendar_id text NOT NULL, time_zone text NOT NULL,
      seconds_after_deadline double precision NOT NULL, policy_version text NOT NULL)`);
    await q.query(`CREATE INDEX breach_rows_day ON reporting.breach_rows (day, occurred_at)`);
    await q.query(`CREATE INDEX breach_rows_lead ON reporting.breach_rows (lead_id)`);

    await q.query(`CREATE TABLE reporting.board_rows (
      lead_id text PRIMARY KEY, owner_rep_id text NOT NULL, team_id text, pool_id text, manager_id text,
      assigned_at timestamptz NOT NULL, first_assigned_at timestamptz, created_at timestamptz NOT NULL,
      source text NOT NULL, segment text NOT NULL, territory text NOT NULL, tier text NOT NULL, vip boolean NOT NULL,
      reassignment_count integer NOT NULL, deadline timestamptz, clock_id text, warned_at timestamptz, breached boolean NOT NULL)`);
    await q.query(`CREATE INDEX board_rows_order ON reporting.board_rows ((coalesce(deadline, assigned_at)), lead_id)`);

    await q.query(`CREATE TABLE reporting.clock_instances (
      clock_id text PRIMARY KEY, lead_id text NOT NULL, clock text NOT NULL, tier text, owner_rep_id text, team_id text,
      math jsonb, deadline timestamptz NOT NULL, warned_at timestamptz, breached_at timestamptz, escalation_steps integer NOT NULL,
      outcome text, stopped_at timestamptz, policy_version text NOT NULL)`);
    await q.query(`CREATE INDEX clock_instances_lead ON reporting.clock_instances (lead_id)`);

    await q.query(`CREATE VIEW reporting.daily_scorecard AS
      SELECT dimension, key, created_day AS day, ${SCORECARD_AGGREGATES_V1}
      FROM (${SCORECARD_CELLS_V1}) cells
      GROUP BY dimension, key, created_day`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW reporting.daily_scorecard');
    await q.query('DROP TABLE reporting.clock_instances');
    await q.query('DROP TABLE reporting.board_rows');
    await q.query('DROP TABLE reporting.breach_rows');
    await q.query(`DELETE FROM reporting.lead_rows`);
    const cols = ['status', 'created_at', 'created_day', 'source', 'segment', 'territory', 'tier', 'vip', 'first_owner_rep_id', 'first_owner_team_id',
      'current_rep_id', 'current_team_id', 'assigned_at', 'assignment_seconds', 'first_touch_at', 'first_touch_channel', 'second_touch_at',
      'second_touch_channel', 'speed_to_lead_seconds', 'attempts', 'contacted_at', 'reassignment_count', 'accepted_at', 'rejected_at', 'reject_reason',
      'stage', 'highest_stage', 'reached_mql', 'reached_sal', 'reached_sql', 'reached_opportunity', 'disposition_code', 'disposition_complete',
      'recycled_at', 'recycle_count', 'time_to_recycle_seconds', 'sql_after_recycle_at', 'requalified_at', 'suppressed_at', 'breach_count',
      'escalation_count', ...CLOCKS.map((c) => `sla_${c}_status`), 'first_touch_deadline', 'last_event_at'];
    await q.query(`ALTER TABLE reporting.lead_rows ${cols.map((c) => `DROP COLUMN ${c}`).join(', ')}, ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now()`);
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dailyScorecardSelect } from '../scorecards/scorecard-figures.query';

/**
 * The reporting read models (DESIGN.md §6), created once: lead rows with
 * the columns BI filters on plus the whole row as jsonb (the timeline),
 * breach/escalation rows, the awaiting-first-touch board, the clock
 * instances, and the daily scorecards as a view over lead rows whose
 * figures are defined once, in scorecards/scorecard-figures.query.ts.
 *
 * The column lists are written out here on purpose: a migration is frozen,
 * while project-events/read-model-columns.ts may grow with a later one.
 */
const CLOCKS = ['assign', 'first_touch', 'second_touch', 'accept_reject', 'response', 'unassigned_queue', 'effort', 'reply_escalation'];

export class ReportingReadModels1764000000300 implements MigrationInterface {
  name = 'ReportingReadModels1764000000300';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE reporting.lead_rows (
      lead_id text PRIMARY KEY, status text, created_at timestamptz, created_day date,
      source text, segment text, territory text, tier text, vip boolean,
      first_owner_rep_id text, first_owner_team_id text, current_rep_id text, current_team_id text,
      assigned_at timestamptz, assignment_seconds double precision,
      first_touch_at timestamptz, first_touch_channel text, second_touch_at timestamptz, second_touch_channel text,
      speed_to_lead_seconds double precision, attempts integer, contacted_at timestamptz, reassignment_count integer,
      accepted_at timestamptz, rejected_at timestamptz, reject_reason text, stage text, highest_stage text,
      reached_mql boolean, reached_sal boolean, reached_sql boolean, reached_opportunity boolean,
      disposition_code text, disposition_complete boolean,
      recycled_at timestamptz, recycle_count integer, time_to_recycle_seconds double precision, sql_after_recycle_at timestamptz,
      requalified_at timestamptz, suppressed_at timestamptz, breach_count integer, escalation_count integer,
      ${CLOCKS.map((c) => `sla_${c}_status text`).join(', ')},
      first_touch_deadline timestamptz, last_event_at timestamptz, row jsonb NOT NULL)`);
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

    await q.query(`CREATE VIEW reporting.daily_scorecard AS ${dailyScorecardSelect('reporting')}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP VIEW reporting.daily_scorecard');
    for (const t of ['clock_instances', 'board_rows', 'breach_rows', 'lead_rows']) await q.query(`DROP TABLE reporting.${t}`);
  }
}

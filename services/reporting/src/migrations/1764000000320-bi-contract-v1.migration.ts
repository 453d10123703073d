import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The BI contract, version 1 (docs/bi-contract.md): stable, documented
 * views in their own schema `bi`, readable by the NOLOGIN role
 * `lead_sla_bi` and nothing else. The views are owned by the migrating
 * user, so the role needs no access to `reporting` itself.
 *
 * Never change a v1 view's columns in place: add `*_v2` in a new migration
 * and keep v1 until its readers have moved.
 */
type ViewColumn = readonly [name: string, expression: string, comment: string];

const CLOCKS = ['assign', 'first_touch', 'second_touch', 'accept_reject', 'response', 'unassigned_queue', 'effort', 'reply_escalation'];
const CLOCK_NOTE = 'not_started | pending | met | breached; breached once any instance of the clock breached';

const LEAD_V1: readonly ViewColumn[] = [
  ['lead_id', 'lead_id', 'The lead (Kafka key of lead-events.v1).'],
  ['status', 'status', 'unassigned | queued | awaiting_first_touch | working | rejected | recycled | requalified | suppressed | closed.'],
  ['created_at', 'created_at', 'When the lead was created (LeadCreated.occurredAt).'],
  ['created_day', 'created_day', 'UTC date of created_at: the scorecard cohort day.'],
  ['source', 'source', 'Lead source (e.g. webinar, demo_request).'],
  ['segment', 'segment', 'Segment (e.g. enterprise, mid_market, smb).'],
  ['territory', 'territory', 'Territory from LeadCreated.'],
  ['tier', 'tier', 'Intent/fit tier: hot | warm | cold.'],
  ['vip', 'vip', 'VIP / strategic lead.'],
  ['first_owner_rep_id', 'first_owner_rep_id', 'First rep assigned: the rep whose scorecard the lead counts on.'],
  ['first_owner_team_id', 'first_owner_team_id', 'Team of the first owner: the team scorecard the lead counts on.'],
  ['current_rep_id', 'current_rep_id', 'Current owner (latest LeadAssigned).'],
  ['current_team_id', 'current_team_id', 'Team of the current owner.'],
  ['assigned_at', 'assigned_at', 'First assignment to a rep.'],
  ['assignment_seconds', 'assignment_seconds', 'Seconds from creation to first assignment.'],
  ['first_touch_at', 'first_touch_at', 'First owned touch (personal, outbound, by the owner).'],
  ['first_touch_channel', 'first_touch_channel', 'Channel of the first owned touch: phone | email | sms | linkedin.'],
  ['second_touch_at', 'second_touch_at', 'Second owned touch.'],
  ['second_touch_channel', 'second_touch_channel', 'Channel of the second owned touch.'],
  ['speed_to_lead_seconds', 'speed_to_lead_seconds', 'Seconds from creation to the first owned touch (speed-to-lead).'],
  ['attempts', 'attempts', 'Owned touches (attempts) so far.'],
  ['contacted_at', 'contacted_at', 'First touch that connected or got a reply, or an inbound touch.'],
  ['reassignment_count', 'reassignment_count', 'Reassignments (fallbacks triggered).'],
  ['accepted_at', 'accepted_at', 'Sales accepted the lead (SAL decision).'],
  ['rejected_at', 'rejected_at', 'Sales rejected the lead.'],
  ['reject_reason', 'reject_reason', 'Reason given with the rejection.'],
  ['stage', 'stage', 'Current funnel stage: inquiry | mql | sal | sql | opportunity.'],
  ['highest_stage', 'highest_stage', 'Furthest funnel stage reached.'],
  ['reached_mql', 'reached_mql', 'Reached MQL or beyond (an accept/reject also counts).'],
  ['reached_sal', 'reached_sal', 'Reached SAL or beyond (an accept counts).'],
  ['reached_sql', 'reached_sql', 'Reached SQL or beyond.'],
  ['reached_opportunity', 'reached_opportunity', 'Reached opportunity.'],
  ['disposition_code', 'disposition_code', 'Latest disposition code not rejected by the disposition service.'],
  ['disposition_complete', 'disposition_complete', 'That disposition has code, reason and next step.'],
  ['recycled_at', 'recycled_at', 'First recycle back to nurture.'],
  ['recycle_count', 'recycle_count', 'Times recycled.'],
  ['time_to_recycle_seconds', 'time_to_recycle_seconds', 'Seconds from creation to the first recycle.'],
  ['sql_after_recycle_at', 'sql_after_recycle_at', 'First time the lead reached SQL after its first recycle.'],
  ['requalified_at', 'requalified_at', 'Latest re-qualification.'],
  ['suppressed_at', 'suppressed_at', 'Suppressed (never routed again).'],
  ['breach_count', 'breach_count', 'SlaBreached events for this lead, all clocks.'],
  ['escalation_count', 'escalation_count', 'SlaEscalated steps for this lead, all clocks.'],
  ...CLOCKS.map((c): ViewColumn => [`sla_${c}_status`, `sla_${c}_status`, `Outcome of the ${c} clock: ${CLOCK_NOTE}.`]),
  ['first_touch_deadline', 'first_touch_deadline', 'Deadline of the latest first-touch clock instance the timer published.'],
  ['last_event_at', 'last_event_at', 'occurredAt of the latest event applied to the lead.'],
];

const BREACH_V1: readonly ViewColumn[] = [
  ['breach_key', 'breach_key', 'Unique key: lead/clock instance/breach or lead/clock instance/step-n.'],
  ['kind', 'kind', 'breach (SlaBreached) | escalation (SlaEscalated step).'],
  ['event_id', 'event_id', 'The timer event that wrote the row.'],
  ['lead_id', 'lead_id', 'The lead.'],
  ['clock_id', 'clock_id', 'The clock instance.'],
  ['clock', 'clock', 'Clock kind: assign | first_touch | second_touch | accept_reject | response | unassigned_queue | effort | reply_escalation.'],
  ['tier', 'tier', 'Tier whose timing applied.'],
  ['step', 'step', '0 for the breach, n for the n-th escalation step.'],
  ['action', 'action', 'Escalation action: remind_owner | escalate_manager | reassign (null for a breach).'],
  ['last_step', 'last_step', 'Last step of the ladder (null for a breach).'],
  ['owner_rep_id', 'owner_rep_id', 'Owner whose clock it was.'],
  ['team_id', 'team_id', 'Team of that owner.'],
  ['manager_id', 'manager_id', 'Manager of that owner.'],
  ['occurred_at', 'occurred_at', 'When the breach or step happened.'],
  ['day', 'day', 'UTC date of occurred_at (the daily missed-SLA report).'],
  ['started_at', 'started_at', 'Clock math: when the clock started.'],
  ['coverage_start', 'coverage_start', 'Clock math: first covered instant at or after started_at.'],
  ['coverage_minutes', 'coverage_minutes', 'Clock math: coverage minutes allowed.'],
  ['deadline', 'deadline', 'Clock math: the deadline.'],
  ['calendar_id', 'calendar_id', 'Clock math: coverage calendar.'],
  ['time_zone', 'time_zone', 'Clock math: IANA time zone of the calendar.'],
  ['seconds_after_deadline', 'seconds_after_deadline', 'Seconds from the deadline to occurred_at.'],
  ['policy_version', 'policy_version', 'Policy version the timer decided under.'],
];

const AWAITING_V1: readonly ViewColumn[] = [
  ['lead_id', 'lead_id', 'The lead waiting for its first owned touch.'],
  ['owner_rep_id', 'owner_rep_id', 'Current owner.'],
  ['team_id', 'team_id', 'Team of the current owner.'],
  ['pool_id', 'pool_id', 'Routing pool of the current assignment.'],
  ['manager_id', 'manager_id', 'Manager of the current owner.'],
  ['assigned_at', 'assigned_at', 'When the current owner got the lead (their clock start).'],
  ['first_assigned_at', 'first_assigned_at', 'First assignment of the lead.'],
  ['created_at', 'created_at', 'When the lead was created.'],
  ['source', 'source', 'Lead source.'],
  ['segment', 'segment', 'Segment.'],
  ['territory', 'territory', 'Territory.'],
  ['tier', 'tier', 'Intent tier.'],
  ['vip', 'vip', 'VIP lead.'],
  ['reassignment_count', 'reassignment_count', 'Reassignments so far.'],
  ['deadline', 'deadline', 'First-touch deadline of the current owner (null until the timer published it).'],
  ['clock_id', 'clock_id', 'Clock instance of that deadline.'],
  ['warned_at', 'warned_at', 'When the SLA warning for that instance fired.'],
  ['breached', 'breached', 'The current instance already breached (waiting for the fallback).'],
];

const SCORECARD_V1: readonly ViewColumn[] = [
  ['dimension', 'dimension', 'rep | team | source | segment.'],
  ['key', 'key', 'The rep, team, source or segment (rep/team = first owner).'],
  ['day', 'day', 'UTC creation day of the cohort of leads.'],
  ['leads', 'leads', 'Leads created that day in the cell.'],
  ['assigned', 'assigned', 'Of those, assigned to a rep.'],
  ['assignment_seconds_avg', 'assignment_seconds_avg', 'Mean seconds from creation to first assignment.'],
  ['speed_to_lead_median_seconds', 'speed_to_lead_median_seconds', 'Median seconds created → first owned touch (percentile_disc 0.5, exact).'],
  ['speed_to_lead_p90_seconds', 'speed_to_lead_p90_seconds', 'p90 seconds created → first owned touch (percentile_disc 0.9, exact).'],
  ['first_touched', 'first_touched', 'Leads with a first owned touch.'],
  ['contacted', 'contacted', 'Leads contacted (connected, replied or inbound).'],
  ['contact_rate', 'contact_rate', 'contacted / leads (0..1).'],
  ['attempts', 'attempts', 'Owned touches in total.'],
  ['attempts_per_lead', 'attempts_per_lead', 'attempts / leads.'],
  ...CLOCKS.flatMap((c): ViewColumn[] => [
    [`${c}_met`, `${c}_met`, `Leads whose ${c} clock was met.`],
    [`${c}_breached`, `${c}_breached`, `Leads whose ${c} clock breached.`],
    [`${c}_pending`, `${c}_pending`, `Leads whose ${c} clock is still running.`],
    [`${c}_compliance_rate`, `${c}_compliance_rate`, `SLA compliance of the ${c} clock: met / (met + breached), null when neither.`],
  ]),
  ['breaches', 'breaches', 'SlaBreached events of the cohort.'],
  ['escalations', 'escalations', 'SlaEscalated steps of the cohort.'],
  ['fallbacks', 'fallbacks', 'Reassignments (fallbacks triggered).'],
  ['leads_with_fallback', 'leads_with_fallback', 'Leads reassigned at least once.'],
  ['reached_mql', 'reached_mql', 'Leads that reached MQL or beyond.'],
  ['reached_sal', 'reached_sal', 'Leads that reached SAL or beyond.'],
  ['reached_sql', 'reached_sql', 'Leads that reached SQL or beyond.'],
  ['reached_opportunity', 'reached_opportunity', 'Leads that reached opportunity.'],
  ['mql_to_sal_rate', 'mql_to_sal_rate', 'MQL→SAL acceptance rate (target 0.8+).'],
  ['sal_to_sql_rate', 'sal_to_sql_rate', 'SAL→SQL rate (target 0.2–0.3).'],
  ['sql_to_opportunity_rate', 'sql_to_opportunity_rate', 'SQL→opportunity rate.'],
  ['rejected', 'rejected', 'Leads rejected by sales.'],
  ['dispositioned', 'dispositioned', 'Leads with a (not rejected) disposition.'],
  ['dispositions_complete', 'dispositions_complete', 'Of those, with code, reason and next step.'],
  ['disposition_completeness', 'disposition_completeness', 'dispositions_complete / dispositioned.'],
  ['recycled', 'recycled', 'Leads recycled at least once.'],
  ['recycle_rate', 'recycle_rate', 'recycled / leads.'],
  ['recycled_to_sql', 'recycled_to_sql', 'Recycled leads that later reached SQL.'],
  ['recycle_to_sql_rate', 'recycle_to_sql_rate', 'recycled_to_sql / recycled.'],
  ['time_to_recycle_seconds_avg', 'time_to_recycle_seconds_avg', 'Mean seconds from creation to first recycle.'],
];

const VIEWS: ReadonlyArray<{ name: string; from: string; comment: string; columns: readonly ViewColumn[] }> = [
  { name: 'lead_v1', from: 'reporting.lead_rows', comment: 'One row per lead: milestones and SLA outcome per clock.', columns: LEAD_V1 },
  { name: 'breach_v1', from: 'reporting.breach_rows', comment: 'One row per SLA breach and per escalation step, with the clock math.', columns: BREACH_V1 },
  { name: 'awaiting_first_touch_v1', from: 'reporting.board_rows', comment: 'Live board: open leads with an owner and no first owned touch yet.', columns: AWAITING_V1 },
  { name: 'scorecard_daily_v1', from: 'reporting.daily_scorecard', comment: 'Daily scorecards per rep/team/source/segment over the leads created that UTC day.', columns: SCORECARD_V1 },
];

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export class BiContractV11764000000320 implements MigrationInterface {
  name = 'BiContractV11764000000320';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE SCHEMA IF NOT EXISTS bi');
    await q.query(`COMMENT ON SCHEMA bi IS 'Stable BI contract of the lead SLA platform (docs/bi-contract.md). Views are versioned: columns never change in place.'`);
    for (const v of VIEWS) {
      await q.query(`CREATE VIEW bi.${v.name} AS SELECT ${v.columns.map(([n, e]) => `${e} AS ${n}`).join(', ')} FROM ${v.from}`);
      await q.query(`COMMENT ON VIEW bi.${v.name} IS ${quote(v.comment)}`);
      for (const [n, , c] of v.columns) await q.query(`COMMENT ON COLUMN bi.${v.name}.${n} IS ${quote(c)}`);
    }
    // Roles are cluster-wide; create it once, grant per database.
    await q.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'lead_sla_bi') THEN CREATE ROLE lead_sla_bi NOLOGIN; END IF;
    END $$`);
    await q.query('REVOKE ALL ON SCHEMA bi FROM PUBLIC');
    await q.query('GRANT USAGE ON SCHEMA bi TO lead_sla_bi');
    await q.query('GRANT SELECT ON ALL TABLES IN SCHEMA bi TO lead_sla_bi');
    await q.query('ALTER DEFAULT PRIVILEGES IN SCHEMA bi GRANT SELECT ON TABLES TO lead_sla_bi');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER DEFAULT PRIVILEGES IN SCHEMA bi REVOKE SELECT ON TABLES FROM lead_sla_bi');
    for (const v of [...VIEWS].reverse()) await q.query(`DROP VIEW bi.${v.name}`);
    await q.query('REVOKE ALL ON SCHEMA bi FROM lead_sla_bi');
    await q.query('DROP SCHEMA bi');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';
import { dailyScorecardSelect } from '../scorecards/scorecard-figures.query';

/**
 * Rep and team scorecards count breaches, escalations and fallbacks for
 * whoever held the lead when they happened (DOMAIN.md: fair blame), not for
 * its first owner. The columns of `reporting.daily_scorecard` stay the same
 * (names, order, types), so the view is replaced in place and
 * `bi.scorecard_daily_v1` keeps reading it; the comments of the columns
 * whose meaning changed on rep and team rows say so (docs/bi-contract.md).
 */
const CLOCKS = ['assign', 'first_touch', 'second_touch', 'accept_reject', 'response', 'unassigned_queue', 'effort', 'reply_escalation'];
const ON_REP_TEAM = 'On rep and team rows: counted for the rep/team who held the lead then, on the lead creation day.';

const COMMENTS: ReadonlyArray<readonly [string, string, string]> = [
  ...CLOCKS.flatMap((c) => [
    [`${c}_breached`, `Leads whose ${c} clock breached. ${ON_REP_TEAM}`, `Leads whose ${c} clock breached.`] as const,
    [
      `${c}_compliance_rate`,
      `SLA compliance of the ${c} clock: met / (met + breached), null when neither. On rep and team rows: met on the first owner card, breached by the holder.`,
      `SLA compliance of the ${c} clock: met / (met + breached), null when neither.`,
    ] as const,
  ]),
  ['breaches', `SlaBreached events of the cohort. ${ON_REP_TEAM}`, 'SlaBreached events of the cohort.'],
  ['escalations', `SlaEscalated steps of the cohort. ${ON_REP_TEAM}`, 'SlaEscalated steps of the cohort.'],
  ['fallbacks', 'Reassignments (fallbacks triggered). On rep and team rows: counted for the rep who lost the lead and that rep team.', 'Reassignments (fallbacks triggered).'],
  ['leads_with_fallback', 'Leads reassigned at least once. On rep and team rows: leads this rep/team lost to a reassignment.', 'Leads reassigned at least once.'],
  ['key', 'The rep, team, source or segment (rep/team = first owner for lead figures, holder for breach, escalation and fallback figures).', 'The rep, team, source or segment (rep/team = first owner).'],
];

const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;

export class ScorecardBlameByHolder1764000000390 implements MigrationInterface {
  name = 'ScorecardBlameByHolder1764000000390';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE VIEW reporting.daily_scorecard AS ${dailyScorecardSelect('reporting')}`);
    for (const [column, now] of COMMENTS) await q.query(`COMMENT ON COLUMN bi.scorecard_daily_v1.${column} IS ${quote(now)}`);
  }

  /**
   * Restores the column comments only: the previous view definition is not
   * frozen anywhere (the initial migration reads the live query module), so
   * the view keeps today's figures.
   */
  async down(q: QueryRunner): Promise<void> {
    for (const [column, , before] of COMMENTS) await q.query(`COMMENT ON COLUMN bi.scorecard_daily_v1.${column} IS ${quote(before)}`);
  }
}

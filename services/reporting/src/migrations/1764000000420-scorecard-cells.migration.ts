import type { MigrationInterface, QueryRunner } from 'typeorm';
import { txOf } from '@lead-sla/platform';
import { ProjectionStore } from '../project-events/projection-store.repository';
import { dailyScorecardSelect } from '../scorecards/scorecard-cells.query';
import { dailyScorecardSelect as overLeadRows } from '../scorecards/scorecard-figures.query';

/**
 * The daily scorecard cells (projections/scorecard-cells.projection.ts):
 * the projection keeps summed numerators and denominators per creation day
 * and lead context, so a scorecard is a sum over cells instead of a GROUP BY
 * over every lead row of the period. The tables are created here, filled
 * once from the stored lead and breach rows (nothing to do on a new
 * database), and `reporting.daily_scorecard` — behind `bi.scorecard_daily_v1`
 * — is replaced by the same columns read from the cells.
 *
 * The tables are written out (a migration is frozen). A later change to
 * what the cells hold takes a migration of its own that alters them and
 * fills them again (`ProjectionStore.rebuildCells`).
 *
 * Keys may be null (a lead not yet assigned has no first owner): the
 * unique keys treat nulls as equal so such a lead's cell is one row.
 */
const CLOCKS = ['assign', 'first_touch', 'second_touch', 'accept_reject', 'response', 'unassigned_queue', 'effort', 'reply_escalation'];
const CONTEXT = 'day date NOT NULL, source text, segment text, rep text, team text';
const counts = (names: readonly string[]) => names.map((n) => `${n} integer NOT NULL DEFAULT 0`).join(', ');

export class ScorecardCells1764000000420 implements MigrationInterface {
  name = 'ScorecardCells1764000000420';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE reporting.scorecard_cells (${CONTEXT},
      ${counts(['leads', 'assigned'])}, assignment_ms bigint NOT NULL DEFAULT 0, ${counts(['first_touched', 'contacted', 'attempts'])},
      ${counts(CLOCKS.flatMap((c) => [`${c}_met`, `${c}_breached`, `${c}_pending`]))},
      ${counts(['breaches', 'escalations', 'fallbacks', 'leads_with_fallback', 'reached_mql', 'reached_sal', 'reached_sql', 'reached_opportunity'])},
      ${counts(['mql_and_sal', 'sal_and_sql', 'sql_and_opportunity', 'rejected', 'dispositioned', 'dispositions_complete', 'recycled', 'recycled_to_sql'])},
      recycle_ms bigint NOT NULL DEFAULT 0,
      CONSTRAINT scorecard_cells_key UNIQUE NULLS NOT DISTINCT (day, source, segment, rep, team))`);
    await q.query(`CREATE TABLE reporting.scorecard_held_cells (${CONTEXT}, holder_kind text NOT NULL, holder text NOT NULL,
      ${counts([...CLOCKS.map((c) => `${c}_breached`), 'breaches', 'escalations', 'fallbacks', 'leads_with_fallback'])},
      CONSTRAINT scorecard_held_cells_key UNIQUE NULLS NOT DISTINCT (day, source, segment, rep, team, holder_kind, holder))`);
    await q.query(`CREATE TABLE reporting.scorecard_speed_cells (${CONTEXT}, speed_ms bigint NOT NULL, leads integer NOT NULL DEFAULT 0,
      CONSTRAINT scorecard_speed_cells_key UNIQUE NULLS NOT DISTINCT (day, source, segment, rep, team, speed_ms))`);
    // One rep's or team's cards over a long period (the day-first keys serve a period of every key).
    await q.query('CREATE INDEX scorecard_cells_rep ON reporting.scorecard_cells (rep, day)');
    await q.query('CREATE INDEX scorecard_cells_team ON reporting.scorecard_cells (team, day)');
    await q.query('CREATE INDEX scorecard_held_cells_holder ON reporting.scorecard_held_cells (holder_kind, holder, day)');
    await q.query('CREATE INDEX scorecard_speed_cells_rep ON reporting.scorecard_speed_cells (rep, day)');
    await q.query('CREATE INDEX scorecard_speed_cells_team ON reporting.scorecard_speed_cells (team, day)');

    await new ProjectionStore('reporting').rebuildCells(txOf(q));
    await q.query(`CREATE OR REPLACE VIEW reporting.daily_scorecard AS ${dailyScorecardSelect('reporting')}`);
  }

  /** Puts back the view over lead rows (as migration 1764000000390 left it) before dropping the cells. */
  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE VIEW reporting.daily_scorecard AS ${overLeadRows('reporting')}`);
    for (const t of ['scorecard_speed_cells', 'scorecard_held_cells', 'scorecard_cells']) await q.query(`DROP TABLE reporting.${t}`);
  }
}

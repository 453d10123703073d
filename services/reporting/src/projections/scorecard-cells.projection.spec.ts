import { at, leadAssigned, leadCreated, leadReassigned, leadTouched, replay } from '../testing/lead-events.fixture';
import { leadColumnsOf } from '../project-events/read-model-columns';
import { evolveLeadRow, type LeadRow } from './lead-row.projection';
import { CELL_LEAD_COLUMNS, cellContributions, sumContributions, type BreachFact, type LeadCellFacts } from './scorecard-cells.projection';

function factsOf(row: LeadRow | null, breaches: readonly BreachFact[] = []): LeadCellFacts | null {
  if (row === null) return null;
  const all = leadColumnsOf(row);
  return {
    columns: Object.fromEntries(CELL_LEAD_COLUMNS.map((c) => [c, all[c]])) as LeadCellFacts['columns'],
    owners: row.owners,
    breaches,
  };
}

const created = leadCreated('lead-1', at(0), { source: 'ads', segment: 'smb' });
const assigned = leadAssigned('lead-1', at(1), 'ava', { teamId: 'team-a' });
const touched = leadTouched('lead-1', at(3.5), 'ava');
const reassigned = leadReassigned('lead-1', at(20), 'cai', 'ava', { teamId: 'team-b' });

describe('scorecard cell contributions', () => {
  it('puts a lead in the cohort cell of its creation day and context, with its speed to lead to the millisecond', () => {
    const row = replay(evolveLeadRow, [created, assigned, touched]);
    const cells = cellContributions(factsOf(row));

    expect(cells).toEqual([
      expect.objectContaining({
        table: 'scorecard_cells',
        key: { day: '2026-03-02', source: 'ads', segment: 'smb', rep: 'ava', team: 'team-a' },
        values: expect.objectContaining({ leads: 1, assigned: 1, assignment_ms: 60_000, first_touched: 1, attempts: 1 }),
      }),
      { table: 'scorecard_speed_cells', key: { day: '2026-03-02', source: 'ads', segment: 'smb', rep: 'ava', team: 'team-a', speed_ms: 210_000 }, values: { leads: 1 } },
    ]);
  });

  it('gives breaches to their holder and the fallback to the rep who lost the lead, with that rep’s team then', () => {
    const row = replay(evolveLeadRow, [created, assigned, reassigned]);
    const breaches: BreachFact[] = [
      { kind: 'breach', clock: 'first_touch', ownerRepId: 'ava', teamId: 'team-a' },
      { kind: 'escalation', clock: 'first_touch', ownerRepId: 'ava', teamId: 'team-a' },
    ];
    const held = cellContributions(factsOf(row, breaches)).filter((c) => c.table === 'scorecard_held_cells');

    expect(held.map((c) => [c.key.holder_kind, c.key.holder, c.key.rep, c.values])).toEqual([
      ['rep', 'ava', 'ava', { breaches: 1, first_touch_breached: 1, escalations: 1, fallbacks: 1, leads_with_fallback: 1 }],
      ['team', 'team-a', 'ava', { breaches: 1, first_touch_breached: 1, escalations: 1, fallbacks: 1, leads_with_fallback: 1 }],
    ]);
  });

  it('sums after − before: a lead moving to its first owner’s cell leaves the unassigned cell, and no change is no cell', () => {
    const before = replay(evolveLeadRow, [created]);
    const after = replay(evolveLeadRow, [assigned], before);
    const delta = sumContributions(cellContributions(factsOf(after)), cellContributions(factsOf(before)));

    expect(delta.map((c) => [c.key.rep, c.values.leads, c.values.assigned])).toEqual([
      ['ava', 1, 1],
      [null, -1, 0],
    ]);
    expect(sumContributions(cellContributions(factsOf(after)), cellContributions(factsOf(after)))).toEqual([]);
  });
});

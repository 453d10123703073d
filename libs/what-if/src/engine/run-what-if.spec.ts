import { monthPolicy, recordedMonth } from '../testing/month.fixture';
import { EmptyPeriodError, runWhatIf } from './run-what-if';

const from = Date.parse('2026-10-01T00:00:00.000Z');
const to = Date.parse('2026-11-01T00:00:00.000Z');
const baseline = monthPolicy('month-baseline');
const candidate = monthPolicy('month-candidate');
const month = recordedMonth(baseline, 600);

describe('what-if on a generated month', () => {
  it('reproduces every recorded decision exactly under the policy in force', () => {
    const result = runWhatIf({ facts: () => month.facts, recorded: month.decisions, baseline, candidate: baseline, from, to, teamId: null });

    expect(result.exactness!.divergences).toEqual([]);
    expect(result.exactness!.compared).toBeGreaterThan(5_000);
    expect(result.candidate).toEqual(result.baseline);
  });

  it('names the first recorded decision the baseline does not reproduce', () => {
    const assigned = [...month.decisions.values()].filter((e) => e.type === 'LeadAssigned');
    const changed = assigned[100];
    const recorded = new Map(month.decisions).set(changed.eventId, { ...changed, data: { ...changed.data, repId: 'someone-else' } } as typeof changed);

    const result = runWhatIf({ facts: () => month.facts, recorded, baseline, candidate: baseline, from, to, teamId: null });

    expect(result.exactness!.divergences[0]).toMatchObject({ eventId: changed.eventId, type: 'LeadAssigned', leadId: changed.leadId });
    expect(result.exactness!.divergences[0].problem).toContain('"repId":"someone-else"');
  });

  it('shows a tighter first-touch clock as more breaches, and a bigger cap as another load spread', () => {
    const result = runWhatIf({ facts: () => month.facts, recorded: month.decisions, baseline, candidate, from, to, teamId: null });

    expect(result.exactness!.divergences).toEqual([]);
    expect(result.candidate.clocks.first_touch.breached).toBeGreaterThan(result.baseline.clocks.first_touch.breached);
    expect(result.candidate.leadsPerRep).not.toEqual(result.baseline.leadsPerRep);
  });

  it('counts only the team asked for', () => {
    const result = runWhatIf({ facts: () => month.facts, recorded: new Map(), baseline, candidate, from, to, teamId: 'amer-sdr' });

    expect(Object.keys(result.baseline.leadsPerRep).every((r) => r.startsWith('amer-'))).toBe(true);
    expect(Object.keys(result.candidate.breachesByTeam)).toEqual(['amer-sdr']);
    expect(result.exactness).toBeNull();
  });

  it('refuses a period without recorded facts', () => {
    const run = () => runWhatIf({ facts: () => month.facts, recorded: new Map(), baseline, candidate, from: Date.parse('2027-03-01T00:00:00Z'), to: Date.parse('2027-04-01T00:00:00Z'), teamId: null });

    expect(run).toThrow(EmptyPeriodError);
    expect(run).toThrow(/no recorded fact .* between 2027-03-01T00:00:00.000Z and 2027-04-01T00:00:00.000Z/);
  });
});

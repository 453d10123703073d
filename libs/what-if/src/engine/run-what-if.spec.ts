import { monthPolicy, recordedMonth } from '../testing/month.fixture';
import { EmptyPeriodError, runWhatIf } from './run-what-if';

const from = Date.parse('2026-10-01T00:00:00.000Z');
const to = Date.parse('2026-11-01T00:00:00.000Z');
const baseline = monthPolicy('month-baseline');
const candidate = monthPolicy('month-candidate');
const month = recordedMonth(baseline, 600);

describe('what-if on a generated month', () => {
  it('reproduces every recorded decision exactly under the policy in force', async () => {
    const result = await runWhatIf({ facts: () => month.facts, recorded: () => month.decisions, baseline, candidate: baseline, from, to, teamId: null });

    expect(result.exactness!.divergences).toEqual([]);
    expect(result.exactness!.compared).toBeGreaterThan(5_000);
    expect(result.candidate).toEqual(result.baseline);
  });

  it('names the first recorded decision the baseline does not reproduce', async () => {
    const assigned = month.decisions.filter((e) => e.type === 'LeadAssigned');
    const changed = assigned[100];
    const recorded = month.decisions.map((e) => (e === changed ? ({ ...changed, data: { ...changed.data, repId: 'someone-else' } } as typeof changed) : e));

    const result = await runWhatIf({ facts: () => month.facts, recorded: () => recorded, baseline, candidate: baseline, from, to, teamId: null });

    expect(result.exactness!.divergences[0]).toMatchObject({ eventId: changed.eventId, type: 'LeadAssigned', leadId: changed.leadId });
    expect(result.exactness!.divergences[0].problem).toContain('"repId":"someone-else"');
  });

  it('names a recorded decision the baseline never makes, once the simulation is past it', async () => {
    const breach = month.decisions.find((e) => e.type === 'SlaBreached' && Date.parse(e.recordedAt) > from + 10 * 86_400_000)!;
    const invented = { ...breach, eventId: 'invented-breach', leadId: 'lead-nobody' } as typeof breach;
    const recorded = [...month.decisions];
    recorded.splice(recorded.indexOf(breach) + 1, 0, invented);

    const result = await runWhatIf({ facts: () => month.facts, recorded: () => recorded, baseline, candidate: baseline, from, to, teamId: null });

    expect(result.exactness!.total).toBe(1);
    expect(result.exactness!.divergences).toEqual([expect.objectContaining({ eventId: 'invented-breach', at: breach.recordedAt, leadId: 'lead-nobody' })]);
    expect(result.exactness!.divergences[0].problem).toMatch(/^the platform recorded SlaBreached .* which the simulation did not decide$/);
  });

  it('shows a tighter first-touch clock as more breaches, and a bigger cap as another load spread', async () => {
    const result = await runWhatIf({ facts: () => month.facts, recorded: () => month.decisions, baseline, candidate, from, to, teamId: null });

    expect(result.exactness!.divergences).toEqual([]);
    expect(result.candidate.clocks.first_touch.breached).toBeGreaterThan(result.baseline.clocks.first_touch.breached);
    expect(result.candidate.leadsPerRep).not.toEqual(result.baseline.leadsPerRep);
  });

  it('counts only the team asked for', async () => {
    const result = await runWhatIf({ facts: () => month.facts, recorded: null, baseline, candidate, from, to, teamId: 'amer-sdr' });

    expect(Object.keys(result.baseline.leadsPerRep).every((r) => r.startsWith('amer-'))).toBe(true);
    expect(Object.keys(result.candidate.breachesByTeam)).toEqual(['amer-sdr']);
    expect(result.exactness).toBeNull();
  });

  it('refuses a period without recorded facts', async () => {
    const run = () => runWhatIf({ facts: () => month.facts, recorded: null, baseline, candidate, from: Date.parse('2027-03-01T00:00:00Z'), to: Date.parse('2027-04-01T00:00:00Z'), teamId: null });

    await expect(run()).rejects.toThrow(EmptyPeriodError);
    await expect(run()).rejects.toThrow(/no recorded fact .* between 2027-03-01T00:00:00.000Z and 2027-04-01T00:00:00.000Z/);
  });
});

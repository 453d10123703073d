import type { LeadEvent } from '@lead-sla/contracts';
import { inRecordedOrder, monthPolicy, publication, recordedMonth } from '../testing/month.fixture';
import { PolicyHistory } from './policy-history';
import { runWhatIf } from './run-what-if';

const from = Date.parse('2026-10-01T00:00:00.000Z');
const to = Date.parse('2026-11-01T00:00:00.000Z');
const v1 = monthPolicy('month-baseline');
// The version published mid-month: a 10-minute first-touch clock for hot leads and bigger EMEA caps.
const v2 = monthPolicy('month-candidate');
// Between two facts (theirs fall on whole seconds), so which version decided each is unambiguous.
const publishedAt = '2026-10-15T12:00:00.500Z';
const switchAt = Date.parse(publishedAt);

// The month as the platform ran it: v1 until the publication, then v2 — and the publication on the log among the facts.
const month = recordedMonth(v1, 600, '2026-10-01T00:00:00.000Z', (at) => (at < switchAt ? v1 : v2));
const facts: LeadEvent[] = inRecordedOrder([...month.facts, ...publication(v2, publishedAt)]);

describe('the baseline follows the policy versions published on the log', () => {
  it('switches at the publication, so the baseline reproduces every decision across the change', async () => {
    const result = await runWhatIf({ facts: () => facts, recorded: () => month.decisions, baseline: v1, candidate: v1, from, to, teamId: null });

    expect(result.exactness!.divergences).toEqual([]);
    expect(result.exactness!.compared).toBeGreaterThan(5_000);
    expect(result.baselineVersions).toEqual([{ version: 'month-1', since: null }, { version: 'month-2-candidate', since: publishedAt }]);
  });

  it('does not reproduce the log with one policy for the whole month (--baseline), naming a decision after the change', async () => {
    const result = await runWhatIf({ facts: () => facts, recorded: () => month.decisions, baseline: v1, followPublications: false, candidate: v1, from, to, teamId: null });

    expect(result.exactness!.total).toBeGreaterThan(0);
    expect(Date.parse(result.exactness!.divergences[0].at)).toBeGreaterThanOrEqual(switchAt);
    expect(result.baselineVersions).toEqual([{ version: 'month-1', since: null }]);
  });

  it('takes the version in force at the period start for a period after the change, and the candidate from there', async () => {
    const later = Date.parse('2026-10-20T00:00:00.000Z');
    const result = await runWhatIf({ facts: () => facts, recorded: () => month.decisions, baseline: v1, candidate: v2, from: later, to, teamId: null });

    expect(result.exactness!.divergences).toEqual([]);
    expect(result.baselineVersions).toEqual([{ version: 'month-2-candidate', since: publishedAt }]);
    // The candidate is the version in force: the same decisions.
    expect(result.candidate).toEqual(result.baseline);
  });
});

describe('PolicyHistory', () => {
  const broken = (version: string) => ({ ...publication(v2, '2026-10-02T00:00:00.000Z')[0], data: { ...publication(v2, '2026-10-02T00:00:00.000Z')[0].data, version, document: { version } } });

  it('switches once per version (one copy per partition), and keeps the version in force past a document that does not validate', () => {
    const history = new PolicyHistory(v1);
    const [first, ...others] = publication(v2, publishedAt);

    expect(history.apply(first)).toBe(true);
    expect(others.map((copy) => history.apply(copy))).toEqual([false, false]);
    expect(history.apply(broken('month-3-broken'))).toBe(false);
    expect(history.current).toEqual(v2);
    expect(history.versionsFrom(from)).toEqual([{ version: 'month-1', since: null }, { version: 'month-2-candidate', since: publishedAt }]);
  });
});

import { breachRowKeyOf, evolveBreachRow, type BreachRow } from './breach-row.projection';
import { at, deepFreeze, leadAssigned, leadTouched, repAvailabilityChanged, slaBreached, slaEscalated, slaWarning } from '../testing/lead-events.fixture';

const LEAD = 'lead-1';
const clock = { clockId: 'clk-1', ownerRepId: 'rep-1', teamId: 'team-a', startedAt: at(1), deadline: at(11), minutes: 10 };

describe('breach row projection', () => {
  it('writes one row per breach with the clock, owner, team, deadline and clock math', () => {
    const breach = slaBreached(LEAD, at(11.5), 'first_touch', clock);

    const row = evolveBreachRow(null, breach);

    expect(breachRowKeyOf(breach)).toBe('lead-1/clk-1/breach');
    expect(row).toEqual<BreachRow>({
      breachKey: 'lead-1/clk-1/breach',
      kind: 'breach',
      eventId: breach.eventId,
      leadId: LEAD,
      clockId: 'clk-1',
      clock: 'first_touch',
      tier: 'hot',
      step: 0,
      action: null,
      lastStep: null,
      ownerRepId: 'rep-1',
      teamId: 'team-a',
      managerId: 'mgr-a',
      occurredAt: at(11.5),
      day: '2026-03-02',
      startedAt: at(1),
      coverageStart: at(1),
      coverageMinutes: 10,
      deadline: at(11),
      calendarId: 'cal-emea',
      timeZone: 'Europe/London',
      secondsAfterDeadline: 30,
      policyVersion: 'v1',
    });
  });

  it('writes one row per escalation step, keyed by the step', () => {
    const step1 = slaEscalated(LEAD, at(24 * 60 + 11), 'accept_reject', 1, 'remind_owner', clock);
    const step2 = slaEscalated(LEAD, at(48 * 60 + 11), 'accept_reject', 2, 'escalate_manager', clock);

    expect(breachRowKeyOf(step1)).toBe('lead-1/clk-1/step-1');
    expect(breachRowKeyOf(step2)).toBe('lead-1/clk-1/step-2');
    expect(evolveBreachRow(null, step2)).toMatchObject({ kind: 'escalation', step: 2, action: 'escalate_manager', lastStep: false, day: '2026-03-04' });
  });

  it('leaves an existing row unchanged when the same breach arrives again, even under another event id', () => {
    const breach = slaBreached(LEAD, at(11), 'first_touch', clock);
    const row = deepFreeze(evolveBreachRow(null, breach));
    const resend = { ...breach, eventId: 'another-id', occurredAt: at(12) };

    expect(breachRowKeyOf(resend)).toBe(breachRowKeyOf(breach));
    expect(evolveBreachRow(row, breach)).toBe(row);
    expect(evolveBreachRow(row, resend)).toBe(row);
  });

  it('writes no row for events that are not breaches or escalations', () => {
    for (const e of [
      slaWarning(LEAD, at(9), 'first_touch', clock),
      leadAssigned(LEAD, at(1), 'rep-1'),
      leadTouched(LEAD, at(2), 'rep-1'),
      repAvailabilityChanged('rep-1', at(3)),
    ]) {
      expect(breachRowKeyOf(e)).toBeNull();
      expect(evolveBreachRow(null, e)).toBeNull();
    }
  });
});

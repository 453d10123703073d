import { accepted, assigned, created, testPolicy, toAccountExecutive, touched } from '../testing/timer.fixture';
import { TimerHarness } from '../testing/timer.harness';

// 2026-11-24 is a Tuesday; team emea works London office hours 09:00–17:00.
const T = (hhmm: string, date = '2026-11-24') => `${date}T${hhmm}:00.000Z`;

describe('SQL handoff to the AE pool', () => {
  it("gives the AE an accept/reject clock of their own, although the SDR's decision was made", () => {
    const timer = new TimerHarness(testPolicy()).given(
      created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:05'), 'ava'), accepted(T('10:30'), 'ava'), toAccountExecutive(T('11:00'), 'ava'),
    );
    expect(timer.clockLog().filter((l) => l.startsWith(T('11:00')) && l.includes('SlaClockStarted')).map((l) => l.split(' ')[2])).toEqual(
      expect.arrayContaining(['first_touch', 'accept_reject']),
    );
    expect(timer.lead.owner?.repId).toBe('ae-1');
    // The AE's own decision stops it.
    timer.given(accepted(T('11:20'), 'ae-1'));
    expect(timer.clockLog().at(-1)).toMatch(/SlaClockStopped accept_reject met/);
  });

  it('does not restart accept/reject on an ordinary reassignment after the decision', () => {
    const timer = new TimerHarness(testPolicy()).given(
      created(T('10:00')), assigned(T('10:01'), 'ava'), touched(T('10:05'), 'ava'), accepted(T('10:30'), 'ava'), assigned(T('11:00'), 'dev', 'emea', 'ava'),
    );
    expect(timer.clockLog().filter((l) => l.startsWith(T('11:00')) && l.includes('SlaClockStarted accept_reject'))).toEqual([]);
  });
});

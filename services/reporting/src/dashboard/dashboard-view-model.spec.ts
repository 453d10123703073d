import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';

// The page's script as the browser runs it (a plain script defining LeadSlaView), evaluated in a fresh context.
interface Clock { clockId: string; leadId: string; clock: string; ownerRepId: string | null; teamId: string | null; deadline: string; leadStatus?: string }
interface Row { leadId: string; ownerRepId: string | null; teamId: string | null; queued: boolean; clocks: Array<{ clock: string; deadline: string }> }
interface RepGrant { id: string; teamId: string; actOnLeads: boolean; reassignFrom: boolean; reassignTo: boolean; reinstate: boolean }
interface View {
  countdown(deadline: string, now: number): { text: string; state: string };
  duration(ms: number): string;
  boardAndQueue(clocks: Clock[]): { board: Row[]; queue: Row[] };
  filterRows(rows: Row[], filter: { team?: string; rep?: string }): Row[];
  actionsFor(lead: { ownerRepId: string | null }, me: { reps: RepGrant[] } | null): string[];
  reassignTargets(lead: { ownerRepId: string | null }, me: { reps: RepGrant[] }): RepGrant[];
  clockMath(math: Record<string, unknown> | null): string;
  complianceSeries(cards: Array<Record<string, unknown>>, clocks: string[]): { days: string[]; series: Array<{ clock: string; data: Array<number | null> }> };
  breachesPerRep(cards: Array<{ key: string; breaches: number }>): Array<{ repId: string; breaches: number }>;
}
const sandbox: { LeadSlaView?: View } = {};
runInNewContext(readFileSync(join(__dirname, 'public/view-model.js'), 'utf8'), sandbox);
const view = sandbox.LeadSlaView!;

const T = Date.parse('2026-11-30T10:00:00.000Z');
const clock = (leadId: string, kind: string, deadline: string, ownerRepId: string | null, teamId = 'emea-sdr'): Clock => ({ clockId: `${leadId}-${kind}`, leadId, clock: kind, ownerRepId, teamId, deadline });
const grant = (id: string, over: Partial<RepGrant> = {}): RepGrant => ({ id, teamId: 'emea-sdr', actOnLeads: false, reassignFrom: false, reassignTo: false, reinstate: false, ...over });

describe('dashboard countdowns', () => {
  it('counts down to the deadline and calls the last two minutes "soon"', () => {
    expect(view.countdown('2026-11-30T10:05:00.000Z', T)).toEqual({ text: '5:00 left', state: 'ok', leftMs: 300000 });
    expect(view.countdown('2026-11-30T10:01:59.000Z', T)).toMatchObject({ text: '1:59 left', state: 'soon' });
  });

  it('is overdue at the deadline instant itself (a deadline is met only strictly before it)', () => {
    expect(view.countdown('2026-11-30T10:00:00.000Z', T)).toMatchObject({ text: '0:00 overdue', state: 'late' });
    expect(view.countdown('2026-11-30T09:58:30.000Z', T)).toMatchObject({ text: '1:30 overdue', state: 'late' });
  });

  it('shows hours, and days for long clocks', () => {
    expect(view.duration(3_725_000)).toBe('1:02:05');
    expect(view.duration(2 * 86_400_000 + 3 * 3_600_000)).toBe('2d 3h');
  });
});

describe('board and unassigned queue from the open clocks', () => {
  const clocks = [
    clock('l-1', 'accept_reject', '2026-11-30T12:00:00.000Z', 'ava'),
    clock('l-1', 'first_touch', '2026-11-30T10:10:00.000Z', 'ava'),
    clock('l-2', 'first_touch', '2026-11-30T10:05:00.000Z', 'dev', 'amer-sdr'),
    clock('l-3', 'unassigned_queue', '2026-11-30T10:15:00.000Z', null),
  ];

  it('puts one row per owned lead on the board, most urgent first, its clocks in lifecycle order', () => {
    const { board } = view.boardAndQueue(clocks);
    expect(board.map((r) => r.leadId)).toEqual(['l-2', 'l-1']);
    expect(board[1].clocks.map((c) => c.clock)).toEqual(['first_touch', 'accept_reject']);
  });

  it('puts a lead whose only clocks wait for an owner in the queue', () => {
    expect(view.boardAndQueue(clocks).queue).toMatchObject([{ leadId: 'l-3', ownerRepId: null, queued: true }]);
  });

  it('filters by team and by rep', () => {
    const { board } = view.boardAndQueue(clocks);
    expect(view.filterRows(board, { team: 'amer-sdr' }).map((r) => r.leadId)).toEqual(['l-2']);
    expect(view.filterRows(board, { rep: 'ava' }).map((r) => r.leadId)).toEqual(['l-1']);
    expect(view.filterRows(board, {})).toHaveLength(2);
  });
});

describe('what the page offers the viewer', () => {
  const manager = { reps: [grant('ava', { actOnLeads: true, reassignFrom: true, reassignTo: true, reinstate: true }), grant('dev', { teamId: 'amer-sdr' })] };
  const rep = { reps: [grant('ava', { actOnLeads: true }), grant('dev', { teamId: 'amer-sdr' })] };

  it("offers a manager every action on their rep's lead, and nothing on another team's", () => {
    expect(view.actionsFor({ ownerRepId: 'ava' }, manager)).toEqual(['reassign', 'accept', 'reject', 'disposition']);
    expect(view.actionsFor({ ownerRepId: 'dev' }, manager)).toEqual([]);
  });

  it('offers a rep the decisions on their own lead but never a reassignment', () => {
    expect(view.actionsFor({ ownerRepId: 'ava' }, rep)).toEqual(['accept', 'reject', 'disposition']);
  });

  it('lets a queued lead go only to reps the viewer may give it to', () => {
    expect(view.actionsFor({ ownerRepId: null }, manager)).toEqual(['reassign']);
    expect(view.actionsFor({ ownerRepId: null }, rep)).toEqual([]);
    expect(view.reassignTargets({ ownerRepId: null }, manager).map((r) => r.id)).toEqual(['ava']);
    expect(view.reassignTargets({ ownerRepId: 'ava' }, manager).map((r) => r.id)).toEqual(['dev']);
  });
});

describe('the clock math of a deadline', () => {
  it('says when the clock started, when coverage began, how many minutes, and the deadline', () => {
    const math = { startedAt: '2026-11-27T19:00:00.000Z', coverageStart: '2026-11-30T08:00:00.000Z', coverageMinutes: 10, deadline: '2026-11-30T08:10:00.000Z', calendarId: 'emea-business', timeZone: 'Europe/London' };
    expect(view.clockMath(math)).toBe(
      'started 2026-11-27T19:00:00.000Z, coverage began 2026-11-30T08:00:00.000Z (the team was off hours), + 10 coverage minutes in calendar "emea-business" (Europe/London), = deadline 2026-11-30T08:10:00.000Z',
    );
  });

  it('leaves out the coverage start when the clock started inside coverage', () => {
    const math = { startedAt: 'S', coverageStart: 'S', coverageMinutes: 2, deadline: 'D', calendarId: 'always-on', timeZone: 'UTC' };
    expect(view.clockMath(math)).toBe('started S, + 2 coverage minutes in calendar "always-on" (UTC), = deadline D');
  });
});

describe('scorecard charts', () => {
  it('gives compliance per clock per day, summing met and breached over the keys of a day', () => {
    const cards = [
      { key: 'ava', day: '2026-11-29', firstTouchMet: 3, firstTouchBreached: 1 },
      { key: 'ben', day: '2026-11-29', firstTouchMet: 1, firstTouchBreached: 0 },
      { key: 'ava', day: '2026-11-30', firstTouchMet: 0, firstTouchBreached: 2 },
    ];
    expect(view.complianceSeries(cards, ['first_touch', 'second_touch'])).toEqual({ days: ['2026-11-29', '2026-11-30'], series: [{ clock: 'first_touch', label: 'First touch', data: [80, 0] }] });
  });

  it('ranks reps by breaches', () => {
    expect(view.breachesPerRep([{ key: 'ava', breaches: 1 }, { key: 'ben', breaches: 4 }, { key: 'cai', breaches: 1 }])).toEqual([
      { repId: 'ben', breaches: 4 }, { repId: 'ava', breaches: 1 }, { repId: 'cai', breaches: 1 },
    ]);
  });
});

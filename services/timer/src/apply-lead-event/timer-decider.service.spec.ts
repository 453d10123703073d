import { foldInputs } from '@lead-sla/decider';
import type { Tx } from '@lead-sla/platform';
import { deadlineRowsOf } from '../domain/clock-schedule.util';
import type { TimerChanges } from '../domain/timer-changes.util';
import { initialTimerState, type DeadlineRow, type TimerEnv, type TimerState } from '../domain/timer-state';
import type { DeadlineScheduler } from '../fire-deadline/deadline.scheduler';
import type { RowPlacement, TimerStateRepository } from '../persistence/timer-state.repository';
import { assigned, created, LEAD, testPolicy } from '../testing/timer.fixture';
import { timerDecider } from './lead-timer.decider';
import { TimerDeciderService } from './timer-decider.service';

const T = (hhmm: string) => `2026-11-24T${hhmm}:00.000Z`;

describe('lead timer service: save', () => {
  it('stores each new deadline row with the trace its clock\'s starting event was decided in, on the batch\'s partition, and offers it after commit', async () => {
    const env: TimerEnv = { policy: testPolicy() };
    const assignment = assigned(T('10:01'), 'ava');
    const before: TimerState = new Map([[LEAD, initialTimerState(LEAD)]]);
    const { state: after } = foldInputs(timerDecider, before, [created(T('10:00')), assignment], () => env, new Date(T('10:01')));
    const placements: RowPlacement[] = [];
    const write = jest.fn(async (_tx: Tx, changes: TimerChanges, placeOf: (row: DeadlineRow) => RowPlacement) => {
      placements.push(...changes.inserted.map(placeOf));
      return changes.inserted.map((r) => ({ id: r.deadlineId, dueAt: Date.parse(r.dueAt), partition: 2 }));
    });
    const offer = jest.fn();
    const sut = new TimerDeciderService({ write } as unknown as TimerStateRepository, { offer } as unknown as DeadlineScheduler);
    const traces: Record<string, Record<string, string>> = { [assignment.eventId]: { traceparent: '00-assignment-trace-01' } };
    const committed: Array<() => void> = [];

    await sut.save({} as Tx, before, after, { partition: 2, policy: env.policy, afterCommit: (fn) => committed.push(fn), traceOf: (id) => traces[id] ?? { traceparent: '00-other-trace-01' } });

    const firstTouch = deadlineRowsOf(after.get(LEAD)!).filter((r) => r.clock === 'first_touch');
    expect(firstTouch.map((r) => r.causationId)).toEqual([assignment.eventId, assignment.eventId]);
    const byRow = new Map(write.mock.calls[0][1].inserted.map((r, i) => [r.deadlineId, placements[i]]));
    for (const r of firstTouch) expect(byRow.get(r.deadlineId)).toEqual({ partition: 2, trace: { traceparent: '00-assignment-trace-01' } });
    expect(offer).not.toHaveBeenCalled();
    committed.forEach((fn) => fn());
    expect(offer).toHaveBeenCalledTimes(1);
  });
});

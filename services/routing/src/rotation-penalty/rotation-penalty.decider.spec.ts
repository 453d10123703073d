import { decideRecordMiss, decideReinstate, missesInWindow, recordMiss } from './rotation-penalty.decider';
import { NOW, env, minutesBefore, rep, testPolicy, view } from '../testing/routing.fixture';
import { applied, changesBetween } from '../testing/routing.harness';
import type { RepMiss, RepState, RoutingEnv } from '../domain/routing-state.types';
import { setRep } from '../domain/routing-state.util';

/** The miss decided and folded (the miss itself, then any RepRotationChanged): the events and the reps that changed. */
function record(r: RepState, m: RepMiss, e: RoutingEnv = env()) {
  const emit = decideRecordMiss(r, m, e);
  const before = view([r]);
  const after = applied(setRep(before, recordMiss(r, m, e)), emit, e).state;
  return { emit, reps: changesBetween(before, after).reps };
}

function reinstate(r: RepState, e: RoutingEnv = env()) {
  const emit = decideReinstate(r, { actor: null, repId: r.repId, managerId: 'mgr-emea' }, e);
  const before = view([r]);
  return { emit, reps: changesBetween(before, applied(before, emit, e).state).reps };
}

const DAY = 24 * 60;
const miss = (leadId: string, minutesAgo: number): RepMiss => ({ leadId, clock: 'first_touch', breachedAt: minutesBefore(NOW, minutesAgo) });

describe('rotation penalty', () => {
  it('leaves a rep in rotation after one miss', () => {
    const d = record(rep('ava'), miss('l2', 0));
    expect(d.emit).toEqual([]);
    expect(d.reps).toEqual([expect.objectContaining({ repId: 'ava', inRotation: true, misses: [miss('l2', 0)] })]);
  });

  it('takes a rep out of rotation at the second miss inside 7 days, listing the misses', () => {
    const d = record(rep('ava', { misses: [miss('l1', 3 * DAY)] }), miss('l2', 0));
    expect(d.emit).toEqual([
      {
        type: 'RepRotationChanged',
        leadId: null,
        data: { repId: 'ava', inRotation: false, cause: 'sla_misses', misses: [miss('l1', 3 * DAY), miss('l2', 0)], by: null, policyVersion: 'test-1' },
      },
    ]);
    expect(d.reps[0]).toMatchObject({ inRotation: false });
  });

  it('still counts a miss one minute short of 7 days old', () => {
    const d = record(rep('ava', { misses: [miss('l1', 7 * DAY - 1)] }), miss('l2', 0));
    expect(d.emit).toHaveLength(1);
  });

  it('no longer counts a miss exactly 7 days old: the window is (now − 7d, now]', () => {
    const d = record(rep('ava', { misses: [miss('l1', 7 * DAY)] }), miss('l2', 0));
    expect(d.emit).toEqual([]);
    expect(d.reps[0].misses).toEqual([miss('l2', 0)]);
  });

  it('applies the window at its edges directly', () => {
    const misses = [miss('old', 7 * DAY), miss('edge', 7 * DAY - 1), miss('now', 0)];
    expect(missesInWindow(misses, env()).map((m) => m.leadId)).toEqual(['edge', 'now']);
  });

  it('uses the policy threshold and window', () => {
    const policy = testPolicy({ rotationPenalty: { misses: 3, windowDays: 1 } });
    const twoRecent = rep('ava', { misses: [miss('l1', 60), miss('l0', 2 * DAY)] });
    expect(record(twoRecent, miss('l2', 0), env({ policy })).emit).toEqual([]);
    const threeRecent = rep('ava', { misses: [miss('l1', 60), miss('l0', 120)] });
    expect(record(threeRecent, miss('l2', 0), env({ policy })).emit).toHaveLength(1);
  });

  it('counts a redelivered miss once', () => {
    const d = record(rep('ava', { misses: [miss('l1', 0)] }), miss('l1', 0));
    expect(d.emit).toEqual([]);
    expect(d.reps).toEqual([]);
  });

  it('does not announce again a rep already out of rotation', () => {
    const d = record(rep('ava', { inRotation: false, misses: [miss('l1', 60), miss('l2', 30)] }), miss('l3', 0));
    expect(d.emit).toEqual([]);
    expect(d.reps[0]).toMatchObject({ inRotation: false });
  });

  it('puts a rep back when a manager reinstates them, clearing the misses', () => {
    const d = reinstate(rep('ava', { inRotation: false, misses: [miss('l1', 60)] }));
    expect(d.emit).toEqual([
      {
        type: 'RepRotationChanged',
        leadId: null,
        data: { repId: 'ava', inRotation: true, cause: 'manager_reinstated', misses: [], by: 'mgr-emea', policyVersion: 'test-1' },
      },
    ]);
    expect(d.reps[0]).toMatchObject({ inRotation: true, misses: [] });
  });

  it('ignores a reinstatement of a rep already in rotation', () => {
    expect(reinstate(rep('ava')).emit).toEqual([]);
  });
});

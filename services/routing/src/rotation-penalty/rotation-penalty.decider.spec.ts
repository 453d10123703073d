import { decideRecordMiss, decideReinstate, missesInWindow } from './rotation-penalty.decider';
import { NOW, env, minutesBefore, rep, testPolicy } from '../domain/routing.fixtures';
import type { RepMiss } from '../domain/routing-state.types';

const DAY = 24 * 60;
const miss = (leadId: string, minutesAgo: number): RepMiss => ({ leadId, clock: 'first_touch', breachedAt: minutesBefore(NOW, minutesAgo) });

describe('rotation penalty', () => {
  it('leaves a rep in rotation after one miss', () => {
    const d = decideRecordMiss(rep('ava'), miss('l2', 0), env());
    expect(d.emit).toEqual([]);
    expect(d.reps).toEqual([expect.objectContaining({ repId: 'ava', inRotation: true, misses: [miss('l2', 0)] })]);
  });

  it('takes a rep out of rotation at the second miss inside 7 days, listing the misses', () => {
    const d = decideRecordMiss(rep('ava', { misses: [miss('l1', 3 * DAY)] }), miss('l2', 0), env());
    expect(d.emit).toEqual([
      {
        type: 'RepRotationChanged',
        repId: 'ava',
        data: { repId: 'ava', inRotation: false, cause: 'sla_misses', misses: [miss('l1', 3 * DAY), miss('l2', 0)], by: null, policyVersion: 'test-1' },
      },
    ]);
    expect(d.reps[0]).toMatchObject({ inRotation: false });
  });

  it('still counts a miss one minute short of 7 days old', () => {
    const d = decideRecordMiss(rep('ava', { misses: [miss('l1', 7 * DAY - 1)] }), miss('l2', 0), env());
    expect(d.emit).toHaveLength(1);
  });

  it('no longer counts a miss exactly 7 days old: the window is (now − 7d, now]', () => {
    const d = decideRecordMiss(rep('ava', { misses: [miss('l1', 7 * DAY)] }), miss('l2', 0), env());
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
    expect(decideRecordMiss(twoRecent, miss('l2', 0), env({ policy })).emit).toEqual([]);
    const threeRecent = rep('ava', { misses: [miss('l1', 60), miss('l0', 120)] });
    expect(decideRecordMiss(threeRecent, miss('l2', 0), env({ policy })).emit).toHaveLength(1);
  });

  it('counts a redelivered miss once', () => {
    const d = decideRecordMiss(rep('ava', { misses: [miss('l1', 0)] }), miss('l1', 0), env());
    expect(d.emit).toEqual([]);
    expect(d.reps).toEqual([]);
  });

  it('does not announce again a rep already out of rotation', () => {
    const d = decideRecordMiss(rep('ava', { inRotation: false, misses: [miss('l1', 60), miss('l2', 30)] }), miss('l3', 0), env());
    expect(d.emit).toEqual([]);
    expect(d.reps[0]).toMatchObject({ inRotation: false });
  });

  it('puts a rep back when a manager reinstates them, clearing the misses', () => {
    const d = decideReinstate(rep('ava', { inRotation: false, misses: [miss('l1', 60)] }), { repId: 'ava', managerId: 'mgr-emea' }, env());
    expect(d.emit).toEqual([
      {
        type: 'RepRotationChanged',
        repId: 'ava',
        data: { repId: 'ava', inRotation: true, cause: 'manager_reinstated', misses: [], by: 'mgr-emea', policyVersion: 'test-1' },
      },
    ]);
    expect(d.reps[0]).toMatchObject({ inRotation: true, misses: [] });
  });

  it('ignores a reinstatement of a rep already in rotation', () => {
    expect(decideReinstate(rep('ava'), { repId: 'ava', managerId: 'mgr-emea' }, env()).emit).toEqual([]);
  });
});

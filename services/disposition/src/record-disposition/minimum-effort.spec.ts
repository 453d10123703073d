import { day, ev, given, HOUR, at, ofType, examplePolicy } from '../testing/disposition-scenario.fixture';
import type { InputEvent } from '../domain/decision';

const noResponse = (when: string) => ev.dispositioned('L1', 'ava', 'no_response', { at: when });

function attempts(...spec: [number, 'phone' | 'email' | 'sms' | 'linkedin'][]): InputEvent[] {
  return spec.map(([d, channel]) => ev.touched('L1', 'ava', channel, day(d)));
}

function problemsOf(givens: InputEvent[], when: string): readonly string[] {
  const decision = given(givens).when(noResponse(when));
  return ofType(decision, 'DispositionRejected')[0]?.data.problems ?? [];
}

describe('minimum effort before "No Response"', () => {
  const lead = [ev.created('L1', { channels: ['phone', 'email'] }), ev.assigned('L1', 'ava')];

  it('accepts six attempts over exactly fourteen days on two channels', () => {
    const decision = given([...lead, ...attempts([0, 'phone'], [2, 'email'], [4, 'phone'], [7, 'email'], [10, 'phone'], [13, 'phone'])]).when(
      noResponse(day(14)),
    );
    expect(ofType(decision, 'LeadRecycled')).toHaveLength(1);
    expect(decision.refusal).toBeNull();
  });

  it('rejects one attempt short, with the count so far', () => {
    expect(problemsOf([...lead, ...attempts([0, 'phone'], [2, 'email'], [4, 'phone'], [7, 'email'], [10, 'phone'])], day(15))).toEqual([
      'code "no_response" requires 6 attempts over 14 days on more than one channel; so far 5 attempts over 15 days on 2 channels (phone, email)',
    ]);
  });

  it('rejects six attempts made in under fourteen days, showing the days rounded down', () => {
    const sixInTwoDays = attempts([0, 'phone'], [0, 'email'], [1, 'phone'], [1, 'email'], [2, 'phone'], [2, 'email']);
    expect(problemsOf([...lead, ...sixInTwoDays], at(14 * 24 * HOUR - HOUR))).toEqual([
      'code "no_response" requires 6 attempts over 14 days on more than one channel; so far 6 attempts over 13.9 days on 2 channels (phone, email)',
    ]);
  });

  it('measures the days from the first attempt, not from lead creation', () => {
    const late = [0, 1, 2, 3, 4, 5].map((d) => ev.touched('L1', 'ava', d % 2 ? 'email' : 'phone', day(5 + d)));
    expect(problemsOf([...lead, ...late], day(18))).toEqual([
      'code "no_response" requires 6 attempts over 14 days on more than one channel; so far 6 attempts over 13 days on 2 channels (phone, email)',
    ]);
  });

  it('rejects enough attempts on only one channel when the lead has two', () => {
    const phoneOnly = attempts([0, 'phone'], [2, 'phone'], [4, 'phone'], [7, 'phone'], [10, 'phone'], [14, 'phone']);
    expect(problemsOf([...lead, ...phoneOnly], day(14))).toEqual([
      'code "no_response" requires 6 attempts over 14 days on more than one channel; so far 6 attempts over 14 days on 1 channel (phone)',
    ]);
  });

  it('accepts one channel for a lead reachable on one channel only', () => {
    const phoneLead = [ev.created('L1', { channels: ['phone'] }), ev.assigned('L1', 'ava')];
    const phoneOnly = attempts([0, 'phone'], [2, 'phone'], [4, 'phone'], [7, 'phone'], [10, 'phone'], [14, 'phone']);
    const decision = given([...phoneLead, ...phoneOnly]).when(noResponse(day(14)));
    expect(ofType(decision, 'LeadRecycled')).toHaveLength(1);
  });

  it('leaves the channel requirement out of the sentence for a single-channel lead', () => {
    const phoneLead = [ev.created('L1', { channels: ['phone'] }), ev.assigned('L1', 'ava')];
    expect(problemsOf([...phoneLead, ...attempts([0, 'phone'], [1, 'phone'], [2, 'phone'])], day(2))).toEqual([
      'code "no_response" requires 6 attempts over 14 days; so far 3 attempts over 2 days on 1 channel (phone)',
    ]);
  });

  it('says so when nothing has been tried yet', () => {
    expect(problemsOf(lead, day(20))).toEqual([
      'code "no_response" requires 6 attempts over 14 days on more than one channel; so far no attempts',
    ]);
  });

  it('does not count automated, non-personal, inbound or other reps\' touches', () => {
    const noise = [
      ev.touched('L1', 'ava', 'email', day(0), { automated: true }),
      ev.touched('L1', 'ava', 'email', day(1), { personal: false }),
      ev.touched('L1', 'ava', 'phone', day(2), { direction: 'inbound' }),
      ev.touched('L1', 'ben', 'phone', day(3)),
      ev.touched('L1', 'ava', 'phone', day(4)),
    ];
    expect(problemsOf([...lead, ...noise], day(20))).toEqual([
      'code "no_response" requires 6 attempts over 14 days on more than one channel; so far 1 attempt over 16 days on 1 channel (phone)',
    ]);
  });

  it('counts the attempts of every owner the lead has had', () => {
    const reassigned = [
      ...lead,
      ...attempts([0, 'phone'], [1, 'email'], [2, 'phone']),
      ev.assigned('L1', 'ben', day(3)),
      ...[5, 9, 14].map((d) => ev.touched('L1', 'ben', 'email', day(d))),
    ];
    const decision = given(reassigned).when(ev.dispositioned('L1', 'ben', 'no_response', { at: day(14) }));
    expect(ofType(decision, 'LeadRecycled')[0]?.data.previousRepId).toBe('ben');
  });

  it('follows the policy: a single-channel rule accepts one channel on a two-channel lead', () => {
    const policy = { ...examplePolicy, dispositions: { ...examplePolicy.dispositions, minimumEffort: { attempts: 2, days: 1, multiChannel: false } } };
    const decision = given([...lead, ...attempts([0, 'phone'], [1, 'phone'])], policy).when(noResponse(day(1)));
    expect(ofType(decision, 'LeadRecycled')).toHaveLength(1);
  });
});

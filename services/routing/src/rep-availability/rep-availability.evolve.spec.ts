import { evolveRepAvailability } from './rep-availability.evolve';
import { NOW, env, minutesAfter, minutesBefore, rep } from '../testing/routing.fixture';

const interval = { from: minutesBefore(NOW, 10), to: minutesAfter(NOW, 60) };

describe('rep availability', () => {
  it('marks a rep unavailable and available again', () => {
    const away = evolveRepAvailability(rep('ava'), { actor: null, repId: 'ava', status: 'unavailable' }, env());
    expect(away.available).toBe(false);
    expect(evolveRepAvailability(away, { actor: null, repId: 'ava', status: 'available' }, env()).available).toBe(true);
  });

  it('records PTO and ends a running PTO early when the rep says they are available', () => {
    const onPto = evolveRepAvailability(rep('ava'), { actor: null, repId: 'ava', status: 'pto', ...interval }, env());
    expect(onPto.pto).toEqual([interval]);
    expect(evolveRepAvailability(onPto, { actor: null, repId: 'ava', status: 'available' }, env()).pto).toEqual([]);
  });

  it('keeps future PTO and drops PTO that has ended', () => {
    const future = { from: minutesAfter(NOW, 60), to: minutesAfter(NOW, 120) };
    const past = { from: minutesBefore(NOW, 120), to: minutesBefore(NOW, 60) };
    const next = evolveRepAvailability(rep('ava', { pto: [past, future] }), { actor: null, repId: 'ava', status: 'available' }, env());
    expect(next.pto).toEqual([future]);
  });

  it('records a shift override', () => {
    expect(evolveRepAvailability(rep('ava'), { actor: null, repId: 'ava', status: 'shift_override', ...interval }, env()).shiftOverride).toEqual(interval);
  });

  it('rejects PTO without an interval, naming the rep', () => {
    expect(() => evolveRepAvailability(rep('ava'), { actor: null, repId: 'ava', status: 'pto' }, env())).toThrow(/ava needs "from" and "to"/);
  });
});

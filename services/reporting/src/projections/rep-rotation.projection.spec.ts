import { at, deepFreeze, event, leadAssigned, replay } from '../testing/lead-events.fixture';
import { evolveRepRotation, repRotationKeyOf, type RepRotationRow } from './rep-rotation.projection';

const misses = [
  { leadId: 'lead-1', clock: 'first_touch', breachedAt: at(11) },
  { leadId: 'lead-2', clock: 'first_touch', breachedAt: at(21) },
];
const removed = (when: string, m = misses) =>
  event('RepRotationChanged', null, when, { repId: 'rep-1', inRotation: false, cause: 'sla_misses', misses: m, by: null, policyVersion: 'p1' });
const reinstated = (when: string) =>
  event('RepRotationChanged', null, when, { repId: 'rep-1', inRotation: true, cause: 'manager_reinstated', misses: [], by: 'mgr-a', policyVersion: 'p1' });

describe('rep rotation projection', () => {
  it('records a rep taken out of rotation with the misses and since when', () => {
    const out = removed(at(21));
    expect(repRotationKeyOf(out)).toBe('rep-1');
    expect(evolveRepRotation(null, deepFreeze(out))).toEqual<RepRotationRow>({
      repId: 'rep-1', inRotation: false, since: at(21), cause: 'sla_misses', misses, changedBy: null, eventId: out.eventId, policyVersion: 'p1',
    });
  });

  it('puts the rep back on reinstatement, clearing the misses and naming the manager', () => {
    const row = replay(evolveRepRotation, [removed(at(21)), reinstated(at(60))]);
    expect(row).toMatchObject({ inRotation: true, since: at(60), cause: 'manager_reinstated', misses: [], changedBy: 'mgr-a' });
  });

  it('keeps the first "since" when a rep already out is removed again', () => {
    const row = replay(evolveRepRotation, [removed(at(21)), removed(at(40), [...misses, { leadId: 'lead-3', clock: 'accept_reject', breachedAt: at(40) }])]);
    expect(row).toMatchObject({ inRotation: false, since: at(21) });
    expect(row?.misses).toHaveLength(3);
  });

  it('returns the same row for the same event again, an older change, or an event about something else', () => {
    const out = removed(at(21));
    const row = deepFreeze(evolveRepRotation(null, out));
    expect(evolveRepRotation(row, out)).toBe(row);
    expect(evolveRepRotation(row, reinstated(at(20)))).toBe(row);
    expect(evolveRepRotation(row, leadAssigned('lead-9', at(30), 'rep-1'))).toBe(row);
    expect(repRotationKeyOf(leadAssigned('lead-9', at(30), 'rep-1'))).toBeNull();
  });
});

import type { Logger, Tx } from '@lead-sla/platform';
import type { Policy } from '@lead-sla/policy';
import type { ContactStateRepository, DueEntry } from '../contact-state/contact-state.repository';
import type { RequalifyScheduler } from '../recycle-lead/requalify.scheduler';
import { day, emptyDispositionState, ev, run } from '../testing/disposition-scenario.fixture';
import { DispositionDeciderService } from './disposition-decider.service';

describe('disposition decider service: save', () => {
  const due: DueEntry = { recycledEventId: 'r-1', contactKey: 'pat@example.com', requalifyAt: new Date(day(61)) };

  function service() {
    const warn = jest.fn();
    const offer = jest.fn();
    const save = jest.fn(async () => [due]);
    const sut = new DispositionDeciderService(
      { save } as unknown as ContactStateRepository,
      { offer } as unknown as RequalifyScheduler,
      { warn } as unknown as Logger,
    );
    const committed: Array<() => void> = [];
    const ctx = { partition: 0, policy: {} as Policy, afterCommit: (fn: () => void) => committed.push(fn), traceOf: () => ({ traceparent: '00-trace-span-01' }) };
    return { sut, warn, offer, save, ctx, commit: () => committed.forEach((fn) => fn()) };
  }

  it('hands new due rows to the scheduler and logs the batch refusals only once the batch has committed', async () => {
    const { sut, warn, offer, save, ctx, commit } = service();
    const after = run([
      ev.created('L1', { contactKey: 'pat@example.com' }),
      ev.assigned('L1', 'ava'),
      ev.consentWithdrawn('L1', day(1)),
      ev.created('L2', { contactKey: 'pat@example.com', at: day(2), eventId: 'again' }),
    ]).batch;

    await sut.save({} as Tx, emptyDispositionState, after, ctx);
    expect(save).toHaveBeenCalledWith({}, emptyDispositionState, after, expect.any(Function));
    expect(offer).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();

    commit();
    expect(offer).toHaveBeenCalledWith([due]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledWith('refused an event', {
      leadId: 'L2',
      eventId: 'again',
      eventType: 'LeadCreated',
      repId: null,
      problems: [`contact "[contact]" is suppressed (consent withdrawn on lead "L1" at ${day(1)}): a new lead for it is never routed`],
      policyVersion: expect.any(String),
    });
  });

  it('loads the contacts of the batch: every lead, and the contact a LeadCreated names', () => {
    const { sut } = service();
    expect(sut.keysOf(ev.created('L1', { contactKey: 'pat@example.com' }))).toEqual(['lead-id:L1', 'contact-key:pat@example.com']);
    expect(sut.keysOf(ev.assigned('L1', 'ava'))).toEqual(['lead-id:L1']);
  });
});

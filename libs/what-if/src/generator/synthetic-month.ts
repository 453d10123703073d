import { deterministicId, type EventData, type EventType, type LeadEvent } from '@lead-sla/contracts';
import { buildEvent } from '@lead-sla/decider';

export interface SyntheticMonthOptions {
  readonly leads: number;
  /** The first instant (ISO) and the number of days leads arrive over. */
  readonly from: string;
  readonly days: number;
  readonly seed?: number;
  /** Rep ids for availability changes (a few reps go unavailable for some hours each day). */
  readonly reps: readonly string[];
}

/** Who owns the lead now, as the platform (or the simulator applying these facts) decided; null while it is queued. */
export type OwnerOf = (leadId: string) => string | null;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** mulberry32: a small seeded generator, so a month is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Planned =
  | { at: number; seq: number; kind: 'created'; lead: number }
  | { at: number; seq: number; kind: 'touch'; lead: number; nth: number; tries: number; lastRep: string | null }
  | { at: number; seq: number; kind: 'disposition'; lead: number }
  | { at: number; seq: number; kind: 'availability'; repId: string; status: 'available' | 'unavailable' };

const earlier = (a: Planned, b: Planned) => a.at < b.at || (a.at === b.at && a.seq < b.seq);

/** A small binary heap of planned facts by time. */
class Agenda {
  private readonly h: Planned[] = [];
  get size(): number {
    return this.h.length;
  }
  push(p: Planned): void {
    const h = this.h;
    h.push(p);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (!earlier(h[i], h[parent])) break;
      [h[i], h[parent]] = [h[parent], h[i]];
      i = parent;
    }
  }
  pop(): Planned {
    const h = this.h;
    const top = h[0];
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && earlier(h[l], h[m])) m = l;
        if (r < h.length && earlier(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

/**
 * A month of external facts as people would record them: leads arriving
 * evenly (60 % EMEA, 40 % North America, 30 % hot), each owner's first touch
 * mostly within minutes and sometimes too late, a second touch hours later,
 * close-outs (working, qualified) for some, and a few reps off for some hours each day. Touches
 * and close-outs name the rep who owns the lead at that moment (`ownerOf`,
 * asked just before the fact is yielded), as a real rep working their queue
 * would; a queued lead is tried again later. Only facts: no decisions.
 */
export function* syntheticMonth(options: SyntheticMonthOptions, ownerOf: OwnerOf): Generator<LeadEvent> {
  const rnd = random(options.seed ?? 1);
  const start = Date.parse(options.from);
  const span = options.days * 24 * HOUR;
  const agenda = new Agenda();
  let seq = 0;
  for (let lead = 0; lead < options.leads; lead++) agenda.push({ at: start + Math.floor(((lead + rnd()) * span) / options.leads), seq: seq++, kind: 'created', lead });
  for (let day = 0; day < options.days; day++) {
    for (let k = 0; k < 2 && options.reps.length > 0; k++) {
      const repId = options.reps[Math.floor(rnd() * options.reps.length)];
      const off = start + day * 24 * HOUR + Math.floor(rnd() * 20 * HOUR);
      agenda.push({ at: off, seq: seq++, kind: 'availability', repId, status: 'unavailable' });
      agenda.push({ at: off + HOUR + Math.floor(rnd() * 3 * HOUR), seq: seq++, kind: 'availability', repId, status: 'available' });
    }
  }
  const leadId = (n: number) => `lead-${String(n).padStart(6, '0')}`;
  const fact = <T extends EventType>(type: T, at: number, lead: string | null, data: EventData<T>, n: number): LeadEvent => {
    const iso = new Date(at).toISOString();
    const eventId = deterministicId('what-if synthetic month', String(options.seed ?? 1), type, String(n));
    return buildEvent({ type, eventId, occurredAt: iso, recordedAt: iso, leadId: lead, correlationId: eventId, causationId: null, data }) as LeadEvent;
  };
  while (agenda.size > 0) {
    const p = agenda.pop();
    switch (p.kind) {
      case 'created': {
        const emea = rnd() < 0.6;
        const hot = rnd() < 0.3;
        const id = leadId(p.lead);
        yield fact('LeadCreated', p.at, id, {
          source: ['web-form', 'webinar', 'content-download', 'event-scan'][Math.floor(rnd() * 4)], segment: rnd() < 0.2 ? 'enterprise' : 'mid-market',
          territory: emea ? 'emea' : 'na', intentTier: hot ? 'hot' : 'warm', vip: false,
          contact: { contactKey: `contact-${p.lead}@example.com`, email: `contact-${p.lead}@example.com` }, channels: ['email', 'phone'],
        }, seq++);
        const r = rnd();
        const delay = r < 0.8 ? 2 + rnd() * 8 : r < 0.95 ? 10 + rnd() * 10 : 20 + rnd() * 40;
        agenda.push({ at: p.at + Math.floor(delay * MINUTE), seq: seq++, kind: 'touch', lead: p.lead, nth: 1, tries: 0, lastRep: null });
        break;
      }
      case 'touch': {
        const id = leadId(p.lead);
        const repId = ownerOf(id);
        if (repId === null || repId === p.lastRep) {
          // Queued, or already touched by this owner: look again later (a reassigned lead's new owner touches it then).
          if (p.tries < 40) agenda.push({ ...p, at: p.at + Math.floor((4 + rnd() * 6) * MINUTE), seq: seq++, tries: p.tries + 1 });
          break;
        }
        yield fact('LeadTouched', p.at, id, { repId, channel: p.nth === 1 ? 'phone' : 'email', direction: 'outbound', personal: true, automated: false, outcome: p.nth === 1 ? 'no_answer' : 'sent' }, seq++);
        if (p.nth === 1) {
          agenda.push({ at: p.at + HOUR + Math.floor(rnd() * 20 * HOUR), seq: seq++, kind: 'touch', lead: p.lead, nth: 2, tries: 0, lastRep: null });
          if (p.tries < 8) agenda.push({ ...p, at: p.at + Math.floor((4 + rnd() * 6) * MINUTE), seq: seq++, tries: p.tries + 1, lastRep: repId });
        }
        else if (rnd() < 0.3) agenda.push({ at: p.at + Math.floor((1 + rnd() * 48) * HOUR), seq: seq++, kind: 'disposition', lead: p.lead });
        break;
      }
      case 'disposition': {
        const id = leadId(p.lead);
        const repId = ownerOf(id);
        if (repId === null) break;
        const r = rnd();
        // Simulated people: no verified principal asked (actor null, as for facts recorded before identity).
        const data = r < 0.5 ? { actor: null, repId, code: 'working', nextStep: 'call back' } : { actor: null, repId, code: 'qualified', reason: 'budget and need', nextStep: 'demo' };
        yield fact('LeadDispositioned', p.at, id, data, seq++);
        break;
      }
      case 'availability':
        yield fact('RepAvailabilityChanged', p.at, null, { actor: null, repId: p.repId, status: p.status }, seq++);
        break;
    }
  }
}

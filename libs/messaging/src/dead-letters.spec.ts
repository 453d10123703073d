import { DeadLetterHeaders } from '@lead-sla/contracts';
import {
  deadLettersAsJson, formatDeadLetterLine, formatDeadLetterList, parseDeadLetterId, redriveMessageOf, REDRIVEN_FROM_HEADER, selectDeadLetters, toDeadLetter,
  type DeadLetter,
} from './dead-letters';
import { formatRedriveOutcomes, parseDeadLetterCommand } from './dead-letter-command';

const EMAIL = 'jane.doe@example.com';

function letter(offset: number, o: { type?: string; reason?: string; group?: string; value?: string; attempts?: string } = {}): DeadLetter {
  const value = o.value ?? JSON.stringify({ eventId: `00000000-0000-4000-8000-00000000000${offset}`, type: o.type ?? 'LeadCreated', data: { email: EMAIL } });
  return toDeadLetter({
    partition: 0,
    offset: String(offset),
    key: Buffer.from(`lead-${offset}`),
    value: Buffer.from(value),
    headers: {
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      [DeadLetterHeaders.reason]: o.reason ?? 'handler failed 3 times: domain exploded',
      [DeadLetterHeaders.originalTopic]: 'lead-events.v1',
      [DeadLetterHeaders.originalPartition]: '2',
      [DeadLetterHeaders.originalOffset]: String(100 + offset),
      [DeadLetterHeaders.consumerGroup]: o.group ?? 'routing',
      [DeadLetterHeaders.attempts]: o.attempts ?? '3',
    },
  });
}

describe('dead letters: reading', () => {
  it('takes the origin, group, attempts and reason from the headers, and the type and id from the envelope', () => {
    const l = letter(4, { type: 'LeadTouched' });
    expect(l).toMatchObject({
      id: '0:4', originalTopic: 'lead-events.v1', originalPartition: 2, originalOffset: '104', consumerGroup: 'routing', attempts: 3,
      reason: 'handler failed 3 times: domain exploded', eventType: 'LeadTouched', eventId: '00000000-0000-4000-8000-000000000004', key: 'lead-4',
    });
  });

  it('keeps bytes that are not JSON (or not an object) without a type or id', () => {
    expect(letter(1, { value: '{"type": "LeadCreated", truncated' })).toMatchObject({ eventType: null, eventId: null });
    expect(letter(2, { value: '42' })).toMatchObject({ eventType: null, eventId: null });
    expect(letter(3, { value: 'null' })).toMatchObject({ eventType: null, eventId: null });
  });
});

describe('dead letters: selection', () => {
  const letters = [
    letter(0, { type: 'LeadCreated', reason: 'policy has no pool "emea"', group: 'routing' }),
    letter(1, { type: 'LeadTouched', reason: 'unknown schema version 9 of LeadTouched (known: 1)', group: 'timer' }),
    letter(2, { type: 'LeadCreated', reason: 'Policy has no pool "apac"', group: 'timer' }),
  ];

  it('selects by type, by reason substring (any case), by group, and by all of them together', () => {
    expect(selectDeadLetters(letters, { type: 'LeadCreated' }, 'dlq').map((l) => l.id)).toEqual(['0:0', '0:2']);
    expect(selectDeadLetters(letters, { reason: 'POLICY HAS NO POOL' }, 'dlq').map((l) => l.id)).toEqual(['0:0', '0:2']);
    expect(selectDeadLetters(letters, { group: 'timer' }, 'dlq').map((l) => l.id)).toEqual(['0:1', '0:2']);
    expect(selectDeadLetters(letters, { type: 'LeadCreated', group: 'timer' }, 'dlq').map((l) => l.id)).toEqual(['0:2']);
    expect(selectDeadLetters(letters, {}, 'dlq')).toHaveLength(3);
    expect(selectDeadLetters(letters, { type: 'LeadClosed' }, 'dlq')).toEqual([]);
  });

  it('selects by id, normalising the id, and names an id that does not exist with the range that does', () => {
    expect(selectDeadLetters(letters, { ids: ['0:2', '00:0'] }, 'dlq').map((l) => l.id)).toEqual(['0:0', '0:2']);
    expect(() => selectDeadLetters(letters, { ids: ['0:7'] }, 'lead-events.v1.dlq')).toThrow(
      'no dead letter 0:7 in lead-events.v1.dlq (3 dead letters, partition 0: offsets 0..2); list them with `npm run dlq -- list`',
    );
  });

  it('refuses an id that is not <partition>:<offset>', () => {
    expect(() => parseDeadLetterId('abc')).toThrow('--id "abc" is not a dead-letter id: expected <dlq-partition>:<offset> such as 0:42');
    expect(() => parseDeadLetterId('1:-3')).toThrow(/not a dead-letter id/);
    expect(parseDeadLetterId(' 1:0042 ')).toBe('1:42');
  });
});

describe('dead letters: formatting', () => {
  it('prints one line with the ids, origin, group, type, event id, attempts and reason, never the data', () => {
    const line = formatDeadLetterLine(letter(3));
    expect(line).toBe(
      '0:3  from lead-events.v1/2@103  group routing  LeadCreated 00000000-0000-4000-8000-000000000003  attempts 3  reason: handler failed 3 times: domain exploded',
    );
    expect(line).not.toContain(EMAIL);
  });

  it('cuts a long reason to about 200 characters on one line', () => {
    const line = formatDeadLetterLine(letter(1, { reason: `first line\n${'x'.repeat(500)}` }));
    const reason = line.slice(line.indexOf('reason: ') + 'reason: '.length);
    expect(reason).toHaveLength(200);
    expect(reason.startsWith('first line x')).toBe(true);
    expect(reason.endsWith('…')).toBe(true);
  });

  it('shows what is missing when the bytes are no event and headers are absent', () => {
    const bare = toDeadLetter({ partition: 1, offset: '9', key: null, value: Buffer.from('oops'), headers: {} });
    expect(formatDeadLetterLine(bare)).toBe('1:9  from ?/?@?  group ?  (not an event) -  attempts ?  reason: (none given)');
  });

  it('summarises the listing by reason and by type, most frequent first', () => {
    const text = formatDeadLetterList(
      [letter(0, { reason: 'b' }), letter(1, { reason: 'a', type: 'LeadTouched' }), letter(2, { reason: 'a' })],
      { group: 'routing' },
    );
    expect(text.split('\n').slice(3)).toEqual([
      '',
      '3 dead letters (group routing)',
      'by reason:',
      '       2  a',
      '       1  b',
      'by type:',
      '       2  LeadCreated',
      '       1  LeadTouched',
    ]);
    expect(text).not.toContain(EMAIL);
  });

  it('says when nothing matches', () => {
    expect(formatDeadLetterList([], { type: 'LeadClosed', reason: 'pool' })).toBe('no dead letters match (type LeadClosed and reason containing "pool")');
  });

  it('gives machines the whole reason but not the data or the bytes', () => {
    const [json] = deadLettersAsJson([letter(5, { reason: 'r'.repeat(300) })]);
    expect(json).toEqual({
      id: '0:5', dlqPartition: 0, dlqOffset: '5', originalTopic: 'lead-events.v1', originalPartition: 2, originalOffset: '105',
      consumerGroup: 'routing', eventType: 'LeadCreated', eventId: '00000000-0000-4000-8000-000000000005', attempts: 3, reason: 'r'.repeat(300),
    });
    expect(JSON.stringify(json)).not.toContain(EMAIL);
  });

  it('reports each re-drive outcome and the totals', () => {
    const text = formatRedriveOutcomes([
      { id: '0:1', status: 'redriven', topic: 'lead-events.v1', partition: 2, offset: '900' },
      { id: '0:2', status: 'already-redriven', at: new Date('2026-11-30T10:00:00Z') },
      { id: '0:3', status: 'in-doubt', claimedAt: new Date('2026-11-30T09:00:00Z') },
      { id: '0:4', status: 'would-redrive', topic: 'lead-events.v1' },
    ]);
    expect(text.split('\n')).toEqual([
      '0:1  re-driven to lead-events.v1/2@900',
      '0:2  already re-driven at 2026-11-30T10:00:00.000Z: not published again',
      '0:3  IN DOUBT: claimed at 2026-11-30T09:00:00.000Z by a run that did not record its publish; not published again (see docs/operations.md, "Dead letters")',
      '0:4  would be re-driven to lead-events.v1 (dry run: nothing published or recorded)',
      '',
      '1 re-driven, 1 would be re-driven, 1 already re-driven before, 1 in doubt',
    ]);
  });
});

describe('dead letters: the re-driven message', () => {
  it('is the original bytes and key for the original topic, with the original headers, no dead-letter headers and x-redriven-from', () => {
    const l = letter(6);
    const m = redriveMessageOf(l);
    expect(m.topic).toBe('lead-events.v1');
    expect(m.key).toBe('lead-6');
    expect(m.value.equals(l.value)).toBe(true);
    expect(m.headers).toEqual({ traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01', [REDRIVEN_FROM_HEADER]: '0:6' });
  });

  it('refuses a dead letter that does not say where it came from', () => {
    const bare = toDeadLetter({ partition: 0, offset: '1', key: null, value: Buffer.from('x'), headers: {} });
    expect(() => redriveMessageOf(bare)).toThrow('dead letter 0:1 has no x-original-topic header, so there is no topic to re-drive it to');
  });
});

describe('dead letters: the command line', () => {
  it('parses list with its filters and --json', () => {
    expect(parseDeadLetterCommand(['list', '--type', 'LeadCreated', '--reason', 'pool', '--group', 'routing', '--json'])).toEqual({
      command: 'list', selector: { type: 'LeadCreated', reason: 'pool', group: 'routing' }, json: true,
    });
    expect(parseDeadLetterCommand(['list'])).toEqual({ command: 'list', selector: {}, json: false });
  });

  it('parses redrive by several ids (repeated or listed), by type or by reason, with --dry-run', () => {
    expect(parseDeadLetterCommand(['redrive', '--id', '0:1', '0:2', '--id', '0:5', '--dry-run'])).toEqual({
      command: 'redrive', selector: { ids: ['0:1', '0:2', '0:5'] }, dryRun: true,
    });
    expect(parseDeadLetterCommand(['redrive', '--reason', 'no pool'])).toEqual({ command: 'redrive', selector: { reason: 'no pool' }, dryRun: false });
  });

  it('refuses a redrive that chooses nothing, an unknown command or option, and a flag without its value', () => {
    expect(() => parseDeadLetterCommand(['redrive'])).toThrow(/^redrive needs --id, --type or --reason/);
    expect(() => parseDeadLetterCommand(['redrive', '--group', 'routing'])).toThrow(/^redrive needs --id, --type or --reason/);
    expect(() => parseDeadLetterCommand(['purge'])).toThrow(/^unknown command "purge": use list or redrive\nusage:/);
    expect(() => parseDeadLetterCommand(['list', '--dry-run'])).toThrow(/^unknown option "--dry-run" for list/);
    expect(() => parseDeadLetterCommand(['list', '--type'])).toThrow(/^--type needs a value/);
    expect(() => parseDeadLetterCommand(['redrive', '--id', '--dry-run'])).toThrow(/^--id needs a value/);
  });
});

import { context, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { createLogger, createPinoLogger, redact, requestLogFields } from './json-logger';

function capture(): { lines: () => Array<Record<string, unknown>>; write: (line: string) => void } {
  const raw: string[] = [];
  return { write: (l) => raw.push(l), lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('JSON logs', () => {
  it('never contain email addresses or phone numbers', () => {
    expect(redact('lead ann.lee+x@example.co.uk called from +44 20 7946 0018 and (555) 010-4477')).toBe('lead [email] called from [phone] and [phone]');
  });

  it('keep dates, times, short numbers and ids readable', () => {
    const text = 'next attempt 2026-11-24T02:48:00.000Z, offset 1234, lead lead_8b58eb66';
    expect(redact(text)).toBe(text);
  });

  it.each([
    ['+44 20 7946 0001'],
    ['(020) 7946 0001'],
    ['+1-212-555-0100'],
    ['020 7946 0001'],
    ['020-7946-0001'],
    ['+442079460001'],
    ['(555) 010-4477'],
  ])('mask the phone number %s wherever it appears', (phone) => {
    expect(redact(`call ${phone} now`)).toBe('call [phone] now');
    expect(redact(`{"phone":"${phone}","at":"2026-11-24T02:48:00Z"}`)).toBe('{"phone":"[phone]","at":"2026-11-24T02:48:00Z"}');
    expect(redact(`${phone}, then 2026-11-24 09:00`)).toBe('[phone], then 2026-11-24 09:00');
  });

  it('mask email addresses, also next to ids', () => {
    expect(redact('lead 77a99d9f-6179-44db-a0ee-00e123456789 of pat.o-neil+crm@mail.example.com')).toBe('lead 77a99d9f-6179-44db-a0ee-00e123456789 of [email]');
  });

  it.each([
    // UUIDs and derived event ids: digit runs in every segment, all-digit segments, upper case.
    ['event 77a99d9f-6179-44db-a0ee-00e123456789 done'],
    ['{"eventId":"12345678-1234-5123-8123-123456789012","causationId":"00000000-0000-4000-8000-000000000001"}'],
    ['ids 9F1D3C0A-9B8E-4F2A-8C7D-5E4B3A291807 and 123e4567-e89b-12d3-a456-426614174000'],
    ['a1b2c3d4-1234-5678-9012-345678901234'],
    // W3C traceparent, and bare trace and span ids.
    ['traceparent 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'],
    ['00-12345678901234567890123456789012-1234567890123456-01'],
    ['{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7"}'],
    // ISO dates and instants, with offsets and fractions; durations.
    ['due 2026-11-24T02:48:00.000+01:00, was 2026-11-24T02:48:00-0500 and 2026-11-24 09:00:00+05:30'],
    ['between 2026-11-24 and 2026-12-01, every PT15M'],
    ['{"retryInMs":200,"elapsedMs":"1234567","durationMs":86400000}'],
    // Ports, host:port, addresses, numbers in JSON, offsets, epoch milliseconds, decimals.
    ['kafka at localhost:19092 and 10.0.12.200:9092, postgres://db:5432/leads'],
    ['{"offset":"12345678","partition":3,"ts":"1764000000320","score":"1234.5678"}'],
    ['consumed 1764000000320 at offset 9876543210'],
    ['lead lead_pii_3_12345678, key lead-1234567-ab, version v1.2.3'],
  ])('keep ids, trace ids, timestamps and numbers intact: %s', (text) => {
    expect(redact(text)).toBe(text);
  });

  it('write one JSON object per line with redacted fields', () => {
    const lines: string[] = [];
    const logger = createLogger('test', 'info', (l) => lines.push(l));
    logger.debug('not shown');
    logger.info('touched', { leadId: 'L1', contact: { email: 'pat@example.com' }, at: '2026-11-24T02:48:00Z' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'info', service: 'test', msg: 'touched', leadId: 'L1', contact: { email: '[email]' }, at: '2026-11-24T02:48:00Z' });
  });

  it('keep the fields of every line: time, level, service, msg, then the caller\'s', () => {
    const out = capture();
    createLogger('routing', 'debug', out.write).warn('slow batch', { partition: 2 });
    const [line] = out.lines();
    expect(Object.keys(line).sort()).toEqual(['level', 'msg', 'partition', 'service', 'time']);
    expect(line).toMatchObject({ level: 'warn', service: 'routing', msg: 'slow batch', partition: 2 });
    expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('carry the trace and span ids of the active OpenTelemetry span', () => {
    const manager = new AsyncLocalStorageContextManager().enable();
    context.setGlobalContextManager(manager);
    try {
      const out = capture();
      const logger = createLogger('timer', 'info', out.write);
      const span = trace.wrapSpanContext({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED });
      context.with(trace.setSpan(context.active(), span), () => logger.info('fired', { leadId: 'lead-1' }));
      logger.info('outside any span');
      expect(out.lines()).toEqual([
        expect.objectContaining({ msg: 'fired', traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', leadId: 'lead-1' }),
        expect.not.objectContaining({ traceId: expect.anything() }),
      ]);
    } finally {
      context.disable();
    }
  });

  it('mask contact details in what Nest and pino-http write through the same pino logger, and keep an error\'s stack', () => {
    const out = capture();
    const pino = createPinoLogger('ingest', 'info', out);
    pino.info({ context: 'ExceptionsHandler' }, 'refused pat@example.com');
    const error = new Error('no lead for +44 20 7946 0018');
    pino.error({ err: error }, 'failed');
    const [nest, failed] = out.lines();
    expect(nest).toMatchObject({ service: 'ingest', context: 'ExceptionsHandler', msg: 'refused [email]' });
    expect(failed).toMatchObject({ msg: 'failed', err: { type: 'Error', message: 'no lead for [phone]', stack: expect.stringContaining('no lead for [phone]') } });
  });

  it('redact credentials and contact details of HTTP requests (pino-http\'s req)', () => {
    expect(
      requestLogFields({
        id: 7,
        method: 'GET',
        url: '/api/leads?email=pat@example.com',
        headers: { authorization: 'Bearer secret-token', Cookie: 'lead_sla_session=abc', 'x-api-key': 'k_123', 'x-dashboard-session': 'eyJ', 'user-agent': 'curl/8', 'x-contact': 'ann@example.org' },
        remoteAddress: '10.0.0.5',
      }),
    ).toEqual({
      id: 7,
      method: 'GET',
      url: '/api/leads?email=[email]',
      headers: { authorization: '[Redacted]', Cookie: '[Redacted]', 'x-api-key': '[Redacted]', 'x-dashboard-session': '[Redacted]', 'user-agent': 'curl/8', 'x-contact': '[email]' },
      remoteAddress: '10.0.0.5',
    });
  });
});

import { createLogger, redact } from './json-logger';

describe('JSON logs', () => {
  it('never contain email addresses or phone numbers', () => {
    expect(redact('lead ann.lee+x@example.co.uk called from +44 20 7946 0018 and (555) 010-4477')).toBe('lead [email] called from [phone] and [phone]');
  });

  it('keep dates, times, short numbers and ids readable', () => {
    const text = 'next attempt 2026-11-24T02:48:00.000Z, offset 1234, lead lead_8b58eb66';
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
});

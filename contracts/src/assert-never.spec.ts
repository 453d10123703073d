import { assertNever } from './assert-never';

describe('assertNever', () => {
  it('names the unhandled case and where, without dumping the value', () => {
    const event = { type: 'LeadCreated', data: { contact: { email: 'ana@example.com' } } };
    expect(() => assertNever(event as never, 'routing decide')).toThrow('routing decide: unhandled case "LeadCreated"');
    expect(() => assertNever(event as never, 'routing decide')).not.toThrow(/example\.com/);
  });
  it('names a plain string case', () => {
    expect(() => assertNever('shift_override' as never, 'availability')).toThrow('availability: unhandled case "shift_override"');
  });
});

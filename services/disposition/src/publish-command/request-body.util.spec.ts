import { BadRequestException } from '@nestjs/common';
import { LeadDispositionedV1, LeadRejectedV1 } from '@lead-sla/contracts';
import { parseBody } from './request-body.util';

function problemsOf(work: () => unknown): string[] {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return ((error as BadRequestException).getResponse() as { problems: string[] }).problems;
  }
  throw new Error('expected a 400');
}

describe('request bodies', () => {
  it('accepts a body that matches the contract', () => {
    expect(parseBody(LeadDispositionedV1, { repId: 'ava', code: 'nurture', reason: 'later' }, 'disposition')).toEqual({ repId: 'ava', code: 'nurture', reason: 'later' });
  });

  it('names each malformed field and each unknown one', () => {
    expect(problemsOf(() => parseBody(LeadDispositionedV1, { code: 7, colour: 'red' }, 'disposition'))).toEqual([
      'repId: Invalid input: expected string, received undefined',
      'code: Invalid input: expected string, received number',
      '(body): unknown field(s) "colour"',
    ]);
  });

  it('requires a reason to reject an MQL', () => {
    expect(problemsOf(() => parseBody(LeadRejectedV1, { repId: 'ava' }, 'rejection'))).toEqual(['reason: Invalid input: expected string, received undefined']);
  });

  it('refuses a missing body', () => {
    expect(problemsOf(() => parseBody(LeadDispositionedV1, undefined, 'disposition'))).toEqual(['(body): Invalid input: expected object, received undefined']);
  });
});

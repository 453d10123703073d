import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy } from '@lead-sla/policy';
import { teamShiftPort } from './team-shift.port';

const policy = parsePolicy(readFileSync(join(__dirname, '../../../../infra/policy/example.policy.yaml'), 'utf8'), 'example.policy.yaml');
const onShift = teamShiftPort(policy);

describe('on-shift port (team coverage calendar)', () => {
  it('is on shift inside the team window in the team\'s own zone', () => {
    // Tuesday 09:30 in London (GMT in November).
    expect(onShift('ava', 'emea-business', '2026-11-24T09:30:00Z')).toBe(true);
  });

  it('is off shift before the window opens, on weekends and on holidays', () => {
    expect(onShift('ava', 'emea-business', '2026-11-24T07:59:59Z')).toBe(false);
    expect(onShift('ava', 'emea-business', '2026-11-28T12:00:00Z')).toBe(false);
    expect(onShift('ava', 'emea-business', '2026-12-25T12:00:00Z')).toBe(false);
  });

  it('follows the zone: 09:00 in London is 04:00 in New York, before the AMER window', () => {
    expect(onShift('dev', 'amer-business', '2026-11-24T09:00:00Z')).toBe(false);
    expect(onShift('dev', 'amer-business', '2026-11-24T14:00:00Z')).toBe(true);
  });

  it('treats an unknown calendar as not covered', () => {
    expect(onShift('ava', 'nowhere', '2026-11-24T09:30:00Z')).toBe(false);
  });
});

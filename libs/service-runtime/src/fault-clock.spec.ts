import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offsetClock } from './fault-clock';

const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('offsetClock (fault injection)', () => {
  it('moves the wall clock by the milliseconds in its file and follows a step written to it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fault-clock-')), 'offset');
    writeFileSync(file, '3600000');
    const clock = offsetClock(file, logger);
    expect(clock.now().getTime() - Date.now()).toBeGreaterThanOrEqual(3_599_990);
    writeFileSync(file, '-3600000\n');
    await new Promise((r) => setTimeout(r, 300));
    expect(Date.now() - clock.now().getTime()).toBeGreaterThanOrEqual(3_599_990);
  });

  it('refuses a file that does not hold whole milliseconds', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'fault-clock-')), 'offset');
    writeFileSync(file, 'one hour');
    expect(() => offsetClock(file, logger)).toThrow(`FAULT_CLOCK_OFFSET_FILE ${file} must hold a whole number of milliseconds, found "one hour"`);
  });
});

import { readFileSync } from 'node:fs';
import type { Clock, Logger } from '@lead-sla/platform';

/**
 * Fault injection (the fault suite's clock-step and DST cases, docs/reliability.md):
 * this process's wall clock moved by the whole milliseconds written in
 * `file` (re-read every 100 ms), as a step of the host's clock would move
 * it. Monotonic time is untouched. Set only through FAULT_CLOCK_OFFSET_FILE.
 */
export function offsetClock(file: string, logger: Logger): Clock {
  let offsetMs = 0;
  const read = () => {
    const text = readFileSync(file, 'utf8').trim();
    if (!/^-?\d+$/.test(text)) throw new Error(`FAULT_CLOCK_OFFSET_FILE ${file} must hold a whole number of milliseconds, found "${text}"`);
    offsetMs = Number(text);
  };
  read();
  logger.warn('fault injection: the wall clock is offset by the milliseconds in FAULT_CLOCK_OFFSET_FILE', { file, offsetMs });
  setInterval(() => {
    try {
      read();
    } catch (error) {
      logger.error('fault injection: could not read FAULT_CLOCK_OFFSET_FILE; keeping the last offset', { file, offsetMs, error: (error as Error).message });
    }
  }, 100).unref();
  return { now: () => new Date(Date.now() + offsetMs) };
}

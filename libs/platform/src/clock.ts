/** The clock port: time is injected, never read ad hoc (DESIGN.md §4). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

export const CLOCK = Symbol('Clock');

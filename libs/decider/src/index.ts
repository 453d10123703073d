export * from './emission';
export * from './event-factory';
export * from './decider';

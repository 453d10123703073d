export * from './kafka-client';
export * from './trace-context';
export * from './messaging-tables.migration';
export * from './event-factory';
export * from './outbox';
export * from './outbox-relay';
export * from './transactional-consumer';
export * from './event-publisher';

/** Injection tokens the runtime provides to every service module. */
export const DATA_SOURCE = Symbol('DataSource');
export const KAFKA = Symbol('Kafka');
export const LOGGER = Symbol('Logger');
/** The service's one pino logger: under LOGGER (the project's port), Nest's own logs and pino-http. */
export const PINO_LOGGER = Symbol('PinoLogger');
export const RUNTIME_CONFIG = Symbol('RuntimeConfig');
/** A service binds its EventHandler here; the runtime consumes lead-events.v1 with it. */
export const EVENT_HANDLER = Symbol('EventHandler');
export { CLOCK } from '@lead-sla/platform';
/** A service binds its own prune tasks here (PruneTask[]: fired deadlines, sent deliveries…); the runtime prunes them with processed_events. */
export const RETENTION_TASKS = Symbol('RetentionTasks');

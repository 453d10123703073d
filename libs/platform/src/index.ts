export * from './clock';
export * from './sql-tx';
export * from './database';
export * from './env-config';
export * from './json-logger';
export * from './telemetry';
export * from './database-roles';

export * from './wait-for';
export * from './test-infrastructure';
export * from './event-builders';
export * from './test-database';
export * from './route-access';
export * from './messaging-test-schema';
export * from './test-policy';
export * from './settings-documentation';

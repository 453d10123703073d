export * from './tokens';
export * from './service-definition';
export * from './runtime-config';
export * from './policy-provider';
export * from './messaging-lifecycle';
export * from './health.controller';
export * from './service-runtime.module';
export * from './bootstrap';

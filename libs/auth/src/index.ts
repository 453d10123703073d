export * from './principal';
export * from './access.rule';
export * from './auth-config';
export * from './jwt.verifier';
export * from './api-key-grants.repository';
export * from './authenticator';
export * from './access.decorators';
export * from './access.guard';

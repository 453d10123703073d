export * from './organisation.policy';
export * from './routing.policy';
export * from './clocks.policy';
export * from './dispositions.policy';
export * from './policy.schema';
export * from './parse-policy';
export * from './policy-lookup';
export * from './directory';

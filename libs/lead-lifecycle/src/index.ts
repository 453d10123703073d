export * from './owned-touch.rule';
export * from './clock-lifecycle.rule';
export * from './rep-miss.rule';
export * from './minimum-effort.rule';
export * from './second-touch.rule';
export * from './mql.rule';

export * from './engine/simulator';
export * from './engine/outcome';
export * from './engine/exactness';
export * from './engine/run-what-if';
export * from './generator/synthetic-month';
export * from './report/what-if-report';
export * from './cli/what-if-command';
export * from './cli/recorded-log';

// One Jest config, one project per test tier (CONVENTIONS.md §7):
//   unit — *.spec.ts, pure code, no infrastructure;
//   int  — *.int-spec.ts, real Kafka and Postgres started once in global setup;
//   e2e  — *.e2e-spec.ts, the running services end to end;
//   faults — *.faults-spec.ts, processes killed and restarted under a stream (`npm run test:faults`;
//            not yet in `npm test`: docs/reliability.md says which case still fails and why).
const { pathsToModuleNameMapper } = require('./tools/jest-paths');

const shared = {
  testEnvironment: 'node',
  // jose and openid-client (identity, with oauth4webapi) and @nestjs/terminus ship only ES modules; Jest runs CommonJS here, so SWC compiles them like our own code.
  transform: { '^.+\\.ts$': ['@swc/jest', require('./tools/swc-options')], '/node_modules/(jose|openid-client|oauth4webapi|@nestjs/terminus)/.+\\.js$': ['@swc/jest', require('./tools/swc-options')] },
  transformIgnorePatterns: ['/node_modules/(?!(jose|openid-client|oauth4webapi|@nestjs/terminus)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: pathsToModuleNameMapper(),
  roots: ['<rootDir>/contracts', '<rootDir>/libs', '<rootDir>/services', '<rootDir>/infra'],
  testPathIgnorePatterns: ['/node_modules/', '/.cache/', '/dist/'],
};

module.exports = {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'int',
      testMatch: ['**/*.int-spec.ts'],
      globalSetup: '<rootDir>/infra/local/src/jest/global-setup.ts',
      globalTeardown: '<rootDir>/infra/local/src/jest/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/infra/local/src/jest/slow-tests.setup.ts'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/infra/local/src/jest/global-setup.ts',
      globalTeardown: '<rootDir>/infra/local/src/jest/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/infra/local/src/jest/slow-tests.setup.ts'],
    },
    {
      ...shared,
      displayName: 'faults',
      testMatch: ['**/*.faults-spec.ts'],
      globalSetup: '<rootDir>/infra/local/src/jest/global-setup.ts',
      globalTeardown: '<rootDir>/infra/local/src/jest/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/infra/local/src/jest/slow-tests.setup.ts'],
    },
  ],
};

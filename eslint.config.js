// Lint: TypeScript rules plus Nx module boundaries, enforced by project tags.
// Layering (CONVENTIONS.md §5): contracts depend on nothing; domain libs only
// on contracts and other domain libs; infrastructure libs on contracts and
// domain; only apps (and test/tooling code) depend on infrastructure libs.
// A service never imports another service: they talk through Kafka only.
const nx = require('@nx/eslint-plugin');
const tseslint = require('typescript-eslint');

const layers = {
  'type:contracts': [],
  'type:domain': ['type:contracts', 'type:domain'],
  'type:infra': ['type:contracts', 'type:domain', 'type:infra'],
  'type:tooling': ['type:contracts', 'type:domain', 'type:infra', 'type:tooling'],
  'type:testing': ['type:contracts', 'type:domain', 'type:infra', 'type:tooling', 'type:testing'],
  'type:app': ['type:contracts', 'type:domain', 'type:infra'],
};
const scopes = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  { sourceTag: 'scope:routing', onlyDependOnLibsWithTags: ['scope:shared', 'scope:routing'] },
  { sourceTag: 'scope:timer', onlyDependOnLibsWithTags: ['scope:shared', 'scope:timer'] },
  { sourceTag: 'scope:disposition', onlyDependOnLibsWithTags: ['scope:shared', 'scope:disposition'] },
  { sourceTag: 'scope:reporting', onlyDependOnLibsWithTags: ['scope:shared', 'scope:reporting'] },
  { sourceTag: 'scope:ingest', onlyDependOnLibsWithTags: ['scope:shared', 'scope:ingest'] },
  { sourceTag: 'scope:notifications', onlyDependOnLibsWithTags: ['scope:shared', 'scope:notifications'] },
];
/**
 * The one exception to "never import a service": the what-if simulator runs the services' pure deciders in one
 * process. It may import exactly their pure entry points (`services/<name>/src/<name>.pure.ts`, re-exports of
 * deciders and evolves that lint keeps free of Nest, SQL and I/O) — never a module, repository or controller —
 * and no service may import it or another service's entry point.
 */
const servicePureEntryPoints = ['@lead-sla/routing-pure', '@lead-sla/timer-pure', '@lead-sla/disposition-pure'];
/** Production code keeps to its layer; test files may also use the testing lib (never the reverse). */
function boundaries(forTests, allow = []) {
  const depConstraints = Object.entries(layers).map(([sourceTag, allowed]) => ({
    sourceTag,
    onlyDependOnLibsWithTags: forTests && sourceTag !== 'type:contracts' ? [...new Set([...allowed, 'type:testing', 'type:tooling'])] : allowed,
  }));
  return ['error', { enforceBuildableLibDependency: false, allow, depConstraints: [...depConstraints, ...scopes] }];
}
// Specs and their support code (a service's testing/ folder, fixtures) may use the testing lib.
const testFiles = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/testing/**/*.ts', '**/*.fixture.ts'];
/**
 * Pure code (CONVENTIONS.md §2): deciders, evolve functions, projections, rules and domain folders import no
 * framework, driver, I/O or infrastructure lib; time and policy are passed in.
 */
const pureFiles = ['**/*.pure.ts', 'libs/what-if/src/engine/**/*.ts', '**/*.decider.ts', '**/*.evolve.ts', '**/*.projection.ts', '**/*.rule.ts', '**/domain/**/*.ts', 'libs/lead-lifecycle/src/**/*.ts', 'libs/sla-clock/src/**/*.ts', 'libs/decider/src/**/*.ts'];
/**
 * The Kafka port (docs/messaging.md#the-kafka-port): only libs/messaging imports a Kafka client library; everything
 * else uses the port's types and functions, so the client can be replaced in one package (docs/adr/0008-kafka-client.md).
 */
const kafkaClients = ['kafkajs', 'kafkajs/*', '@platformatic/kafka', '@platformatic/kafka/*', '@confluentinc/kafka-javascript', '@confluentinc/kafka-javascript/*'];
const kafkaPort = {
  patterns: [{ group: kafkaClients, message: 'only libs/messaging talks to a Kafka client library: use the port it exports (KafkaClient, tailLog, LogProducer, KafkaAdminSession, scanLog, logEnd, …)' }],
};
const impure = {
  patterns: [
    { group: ['@nestjs/*', 'typeorm', ...kafkaClients, 'pg', 'pg-*', '@opentelemetry/*', 'prom-client'], message: 'pure code (decider, evolve, projection, rule, domain) must not use a framework or driver: pass what it needs in' },
    { group: ['node:fs', 'fs', 'node:net', 'node:http', 'node:child_process', 'node:timers'], message: 'pure code must not do I/O or read timers: pass what it needs in' },
    { group: ['@lead-sla/messaging', '@lead-sla/platform', '@lead-sla/service-runtime', '@lead-sla/scheduler'], message: 'pure code must not import an infrastructure lib (the pure decider kit is @lead-sla/decider)' },
  ],
};

module.exports = [
  { ignores: ['node_modules/**', 'dist/**', 'tmp/**', '.cache/**', '.nx/**', 'coverage/**', 'test-artifacts/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': boundaries(false),
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  { files: testFiles, rules: { '@nx/enforce-module-boundaries': boundaries(true) } },
  { files: ['libs/what-if/**/*.ts'], rules: { '@nx/enforce-module-boundaries': boundaries(false, servicePureEntryPoints) } },
  { files: ['libs/what-if/**/*.spec.ts', 'libs/what-if/**/*.int-spec.ts', 'libs/what-if/**/testing/**/*.ts'], rules: { '@nx/enforce-module-boundaries': boundaries(true, servicePureEntryPoints) } },
  { files: ['**/*.ts'], ignores: ['libs/messaging/**'], rules: { 'no-restricted-imports': ['error', kafkaPort] } },
  { files: pureFiles, ignores: testFiles, rules: { 'no-restricted-imports': ['error', impure] } },
];

import { ConfigError } from '@lead-sla/platform';
import { dataSourceFor, loadRuntimeConfig, type ServiceDefinition } from '@lead-sla/service-runtime';
import { ApiKeyRepository } from './api-key.repository';
import { isScope, Scopes, type Scope } from './api-key.util';

/**
 * `main.ts create-key --name <name> --scopes ingest,read [--rate 10 --burst 20]`:
 * creates a key straight in Postgres (after `migrate`) and prints it once,
 * for operators who prefer not to run with INGEST_ADMIN_KEY.
 */
export async function createApiKeyCommand(definition: ServiceDefinition, args: readonly string[]): Promise<void> {
  const option = (name: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
  };
  const name = option('name');
  const scopes = (option('scopes') ?? '').split(',').filter(Boolean);
  const problems = [
    ...(name ? [] : ['--name: required (who the key is for)']),
    ...(scopes.length > 0 && scopes.every(isScope) ? [] : [`--scopes: required, comma-separated from ${Scopes.join(', ')} (got "${scopes.join(',')}")`]),
  ];
  const rate = option('rate') === undefined ? null : Number(option('rate'));
  const burst = option('burst') === undefined ? null : Number(option('burst'));
  if (rate !== null && !(rate > 0)) problems.push('--rate: must be a positive number of requests per second');
  if (burst !== null && !(Number.isInteger(burst) && burst > 0)) problems.push('--burst: must be a positive integer');
  if (problems.length > 0) throw new ConfigError(problems);
  const dataSource = await dataSourceFor(definition, loadRuntimeConfig()).initialize();
  try {
    const { record, key } = await new ApiKeyRepository(dataSource).create({ name: name!, scopes: scopes as Scope[], ratePerSecond: rate, burst });
    process.stdout.write(`${JSON.stringify({ ...record, key })}\n`);
  } finally {
    await dataSource.destroy();
  }
}


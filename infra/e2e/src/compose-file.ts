import { parse } from 'yaml';

/**
 * What can be checked of docker-compose.yml and the Dockerfile without a
 * Docker engine: the file parses (anchors and merge keys too), every service
 * has an image or a build, every long-running one a healthcheck, every
 * depends_on waits for the right condition, the platform's containers set
 * only variables docs/configuration.md documents for them (and the ones each
 * needs), each service's healthcheck probes the port it listens on, and the
 * image is built on Node.js 24. Each problem is one sentence naming the
 * service and what to change.
 */
export interface ComposeSources {
  readonly compose: string;
  readonly configuration: string;
  readonly dockerfile: string;
}

/** Services without a healthcheck, and why (nothing may wait for them to be healthy). */
export const NO_HEALTHCHECK: Readonly<Record<string, string>> = {
  'otel-collector': 'the collector image is built FROM scratch: no shell or HTTP client to run a probe with',
};

/** Variables a served platform service must set (docs/configuration.md: required). */
const REQUIRED_TO_SERVE = ['SERVICE', 'KAFKA_BROKERS', 'DATABASE_URL', 'POLICY_FILE', 'PORT'];

interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  entrypoint?: string[] | string;
  restart?: string;
  environment?: Record<string, unknown> | string[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
}

export function composeProblems(sources: ComposeSources): string[] {
  const problems: string[] = [];
  let services: Record<string, Service>;
  try {
    services = ((parse(sources.compose, { merge: true }) as { services?: Record<string, Service> }) ?? {}).services ?? {};
  } catch (error) {
    return [`docker-compose.yml does not parse: ${(error as Error).message}`];
  }
  if (Object.keys(services).length === 0) return ['docker-compose.yml has no services'];
  const documented = documentedVariables(sources.configuration);
  const oneShot = (s: Service) => s.restart === 'no';
  const hasHealthcheck = (s: Service) => s.healthcheck !== undefined && s.healthcheck.disable !== true && [s.healthcheck.test ?? []].flat().length > 0;

  for (const [name, service] of Object.entries(services)) {
    if (!service.image && !service.build) problems.push(`compose service ${name}: no image and no build: give it one`);
    if (!oneShot(service) && !hasHealthcheck(service) && !NO_HEALTHCHECK[name]) {
      problems.push(`compose service ${name}: runs until stopped but has no healthcheck: add one (or list it in NO_HEALTHCHECK with the reason)`);
    }
    if (Array.isArray(service.depends_on)) {
      problems.push(`compose service ${name}: depends_on is a list, which waits only for the start: give each dependency its condition`);
    } else {
      for (const [target, { condition } = {}] of Object.entries(service.depends_on ?? {})) {
        const dependency = services[target];
        if (!dependency) {
          problems.push(`compose service ${name}: depends on ${target}, which is not a service`);
          continue;
        }
        const expected = oneShot(dependency) ? 'service_completed_successfully' : hasHealthcheck(dependency) ? 'service_healthy' : 'service_started';
        if (condition !== expected) problems.push(`compose service ${name}: waits for ${target} with "${condition ?? 'no condition'}"; it must be "${expected}" (${target} ${oneShot(dependency) ? 'runs once' : hasHealthcheck(dependency) ? 'has a healthcheck' : 'has no healthcheck'})`);
      }
    }
    if (platformImage(service)) problems.push(...platformServiceProblems(name, service, documented));
  }
  problems.push(...dockerfileProblems(sources.dockerfile));
  return problems;
}

/** The variables docs/configuration.md documents, each with the services its table names ("all", a list, or "container image"). */
export function documentedVariables(configuration: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of configuration.split('\n')) {
    const m = /^\|\s*`([A-Z][A-Z0-9_]*)`\s*\|\s*([^|]*)\|/.exec(line);
    if (m) rows.set(m[1], m[2].trim());
  }
  return rows;
}

function platformImage(service: Service): boolean {
  return service.build !== undefined || (service.image ?? '').startsWith('lead-sla:');
}

function environmentOf(service: Service): Record<string, string> {
  const env = service.environment ?? {};
  if (Array.isArray(env)) return Object.fromEntries(env.map((e) => [e.split('=')[0], e.split('=').slice(1).join('=')]));
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v ?? '')]));
}

/** The role a platform container plays: the service it runs (SERVICE), or the role provisioning command. */
function roleOf(service: Service, env: Record<string, string>): string {
  const entrypoint = [service.entrypoint ?? []].flat().join(' ');
  return entrypoint.includes('provision-roles') ? 'provision-roles' : (env.SERVICE ?? '(no SERVICE)');
}

function documentedFor(cell: string, role: string): boolean {
  const names = cell.toLowerCase();
  if (names.startsWith('all') || names.includes('any service') || names.includes('container image')) return true;
  return names.split(/[,(]/).some((n) => n.trim() === role);
}

function platformServiceProblems(name: string, service: Service, documented: Map<string, string>): string[] {
  const problems: string[] = [];
  const env = environmentOf(service);
  const role = roleOf(service, env);
  for (const variable of Object.keys(env)) {
    const cell = documented.get(variable);
    if (cell === undefined) problems.push(`compose service ${name}: sets ${variable}, which docs/configuration.md does not document: document it or remove it`);
    else if (!documentedFor(cell, role)) problems.push(`compose service ${name}: sets ${variable}, which docs/configuration.md documents for ${cell}, not ${role}`);
  }
  const command = [service.command ?? []].flat();
  if (command[0] === 'serve') {
    for (const variable of REQUIRED_TO_SERVE) if (!env[variable]) problems.push(`compose service ${name}: serves without ${variable} (docs/configuration.md: required)`);
    const probe = [service.healthcheck?.test ?? []].flat().join(' ');
    const port = /127\.0\.0\.1:(\d+)\/health\/ready/.exec(probe)?.[1];
    if (!port) problems.push(`compose service ${name}: its healthcheck does not ask /health/ready on 127.0.0.1 (the readiness the service itself reports)`);
    else if (env.PORT && port !== env.PORT) problems.push(`compose service ${name}: its healthcheck probes port ${port} but it listens on PORT=${env.PORT}`);
  }
  return problems;
}

/** Every stage is built on Node.js 24 (the supported runtime, docs/adr/0004). */
export function dockerfileProblems(dockerfile: string): string[] {
  const args = new Map<string, string>();
  for (const m of dockerfile.matchAll(/^ARG\s+([A-Z_]+)=(\S+)/gm)) args.set(m[1], m[2]);
  const bases = [...dockerfile.matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1].replace(/^\$\{?([A-Z_]+)\}?$/, (_, arg: string) => args.get(arg) ?? `\${${arg}}`));
  if (bases.length === 0) return ['Dockerfile: no FROM line'];
  return [...new Set(bases)].filter((b) => !/^node:24([.-]|$)/.test(b)).map((b) => `Dockerfile: a stage is built FROM ${b}; the image must be built on node:24 (the supported runtime)`);
}

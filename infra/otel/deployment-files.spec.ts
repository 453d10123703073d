import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

// Checks docker-compose.yml, the Dockerfile and the collector config without a
// Docker engine (CI here has none): structure, references and settings. That the
// images build and the stack starts is tested only where an engine exists
// (docs/operations.md, "Tested where").
const root = join(__dirname, '../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  volumes?: string[];
  ports?: string[];
  restart?: string;
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };
const services = readdirSync(join(root, 'services')).filter((d) => existsSync(join(root, 'services', d, 'src/main.ts')));
const documented = new Set([...read('docs/configuration.md').matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]));

describe('docker-compose.yml', () => {
  it('runs Kafka 3.9 in KRaft mode, Postgres 16 and an OpenTelemetry collector whose config file exists', () => {
    expect(compose.services.kafka.image).toBe('apache/kafka:3.9.1');
    expect(compose.services.kafka.environment).toMatchObject({ KAFKA_PROCESS_ROLES: 'broker,controller' });
    expect(compose.services.postgres.image).toMatch(/^postgres:16/);
    const collector = compose.services['otel-collector'];
    expect(collector.image).toMatch(/opentelemetry-collector/);
    for (const volume of collector.volumes ?? []) {
      const source = volume.split(':')[0];
      if (source.startsWith('./')) expect(existsSync(join(root, source))).toBe(true);
    }
  });

  it.each(services)('runs %s after its one-shot migrate step, with a readiness healthcheck on its port', (name) => {
    const migrate = compose.services[`migrate-${name}`];
    const service = compose.services[name];
    expect(migrate).toMatchObject({ command: ['migrate'], restart: 'no', environment: expect.objectContaining({ SERVICE: name }) });
    expect(service).toMatchObject({ command: ['serve'], environment: expect.objectContaining({ SERVICE: name }) });
    expect(service.depends_on?.[`migrate-${name}`]).toEqual({ condition: 'service_completed_successfully' });
    expect(service.healthcheck?.test.join(' ')).toContain(`:${service.environment?.PORT}/health/ready`);
    for (const s of [migrate, service]) expect(s.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
  });

  it('depends only on services that exist, waiting for health only where a healthcheck is defined', () => {
    const conditions = new Set(['service_started', 'service_healthy', 'service_completed_successfully']);
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect({ name, dependency, exists: dependency in compose.services, condition: conditions.has(condition) }).toEqual({ name, dependency, exists: true, condition: true });
        if (condition === 'service_healthy') expect({ dependency, healthcheck: !!compose.services[dependency].healthcheck }).toEqual({ dependency, healthcheck: true });
      }
    }
  });

  it('sets only documented settings on the platform services (docs/configuration.md)', () => {
    const unknown = services.flatMap((name) => [name, `migrate-${name}`]).flatMap((s) =>
      Object.keys(compose.services[s].environment ?? {}).filter((k) => !documented.has(k)).map((k) => `${s}: ${k}`),
    );
    expect(unknown).toEqual([]);
  });

  it('has no default passwords: every secret is a required variable with a message, none has a fallback', () => {
    const text = read('docker-compose.yml');
    expect([...text.matchAll(/\$\{([A-Z0-9_]*(PASSWORD|SECRET)[A-Z0-9_]*):-[^}]+\}/g)].map((m) => m[0])).toEqual([]);
    expect(compose.services.postgres.environment?.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?.+\}$/);
    for (const name of services) {
      for (const s of [name, `migrate-${name}`]) {
        expect({ s, url: compose.services[s].environment?.DATABASE_URL }).toEqual({
          s,
          url: expect.stringMatching(new RegExp(`^postgres://lead_sla_${name}:\\$\\{${name.toUpperCase()}_DB_PASSWORD:\\?[^}]+\\}@`)),
        });
      }
      expect(compose.services[`migrate-${name}`].environment?.MIGRATION_DATABASE_URL).toMatch(/^postgres:\/\/lead_sla_migrator:\$\{MIGRATION_DB_PASSWORD:\?[^}]+\}@/);
      expect(compose.services[`migrate-${name}`].depends_on?.['provision-database']).toEqual({ condition: 'service_completed_successfully' });
    }
  });

  it('publishes no port of Postgres, Kafka or the collector to the host', () => {
    for (const s of ['postgres', 'kafka', 'otel-collector']) expect({ s, ports: compose.services[s].ports ?? [] }).toEqual({ s, ports: [] });
  });

  it('provisions the database roles with the command that exists in the image', () => {
    const provision = compose.services['provision-database'] as ComposeService & { entrypoint?: string[] };
    const main = provision.entrypoint?.find((a) => a.endsWith('.main.ts'));
    expect(main && existsSync(join(root, main))).toBe(true);
    expect(provision.depends_on?.postgres).toEqual({ condition: 'service_healthy' });
  });

  it('declares the named volumes it mounts', () => {
    const named = Object.values(compose.services).flatMap((s) => (s.volumes ?? []).map((v) => v.split(':')[0]).filter((v) => !v.startsWith('.') && !v.startsWith('/')));
    for (const v of named) expect(Object.keys(compose.volumes ?? {})).toContain(v);
  });
});

describe('Dockerfile', () => {
  const instructions = read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [keyword, ...rest] = l.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
  const known = new Set(['FROM', 'ARG', 'ENV', 'WORKDIR', 'COPY', 'RUN', 'USER', 'EXPOSE', 'ENTRYPOINT', 'CMD', 'LABEL', 'HEALTHCHECK']);

  it('uses only known instructions and starts with ARG or FROM', () => {
    expect(instructions.filter((i) => !known.has(i.keyword))).toEqual([]);
    expect(['ARG', 'FROM']).toContain(instructions[0].keyword);
  });

  it('is multi-stage, and COPY --from names an earlier stage', () => {
    const stages: string[] = [];
    for (const i of instructions) {
      if (i.keyword === 'FROM') {
        const m = /\sAS\s+(\S+)$/i.exec(i.args);
        expect(m).not.toBeNull();
        stages.push(m![1]);
      }
      const from = /--from=(\S+)/.exec(i.args);
      if (i.keyword === 'COPY' && from) expect(stages.slice(0, -1)).toContain(from[1]);
    }
    expect(stages.length).toBeGreaterThanOrEqual(2);
  });

  it('copies only paths that exist and are not excluded by .dockerignore', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    for (const i of instructions.filter((x) => x.keyword === 'COPY' && !x.args.includes('--from='))) {
      const parts = i.args.split(/\s+/).filter((p) => !p.startsWith('--'));
      for (const source of parts.slice(0, -1)) {
        expect({ source, exists: existsSync(join(root, source)) }).toEqual({ source, exists: true });
        expect(ignored).not.toContain(source);
      }
    }
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.git']));
  });

  it('runs the chosen service as a non-root user with exec, so SIGTERM reaches Node', () => {
    const finalStage = instructions.slice(instructions.map((i) => i.keyword).lastIndexOf('FROM'));
    const entry = finalStage.find((i) => i.keyword === 'ENTRYPOINT')!;
    expect(entry.args).toContain('exec node');
    expect(entry.args).toContain('services/${SERVICE}/src/main.ts');
    expect(JSON.parse(finalStage.find((i) => i.keyword === 'CMD')!.args)).toEqual(['serve']);
    expect(finalStage.find((i) => i.keyword === 'USER')?.args).toBe('node');
    expect(finalStage.some((i) => i.keyword === 'WORKDIR')).toBe(true);
  });
});

describe('OpenTelemetry collector config', () => {
  const config = parse(read('infra/otel/otel-collector.yaml')) as {
    receivers: Record<string, unknown>;
    processors: Record<string, unknown>;
    exporters: Record<string, unknown>;
    service: { pipelines: Record<string, { receivers: string[]; processors?: string[]; exporters: string[] }> };
  };

  it('defines every receiver, processor and exporter its pipelines use, with a traces pipeline from OTLP', () => {
    for (const pipeline of Object.values(config.service.pipelines)) {
      for (const r of pipeline.receivers) expect(config.receivers).toHaveProperty([r]);
      for (const p of pipeline.processors ?? []) expect(config.processors).toHaveProperty([p]);
      for (const e of pipeline.exporters) expect(config.exporters).toHaveProperty([e]);
    }
    expect(config.service.pipelines.traces.receivers).toContain('otlp');
  });

  it('scrapes /metrics of every service at the port compose gives it', () => {
    const targets = JSON.stringify(config.receivers.prometheus);
    for (const name of services) expect(targets).toContain(`${name}:${compose.services[name].environment?.PORT}`);
  });
});

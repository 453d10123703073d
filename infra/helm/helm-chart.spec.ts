import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

// The Helm chart infra/helm/lead-sla is checked by rendering it with `helm template` and reading the
// manifests, where helm exists (HELM, PATH, or `go install helm.sh/helm/v3/cmd/helm@v3.22.0` → ~/go/bin);
// the manifests are validated against the Kubernetes schemas where the `kubernetes-models` package is
// installed. Each test name says which of these ran (docs/adr/0006-helm-chart-checked-by-rendering.md).
const root = join(__dirname, '../..');
const chart = join(root, 'infra/helm/lead-sla');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

const helm = [process.env.HELM, 'helm', join(process.env.GOPATH ?? join(homedir(), 'go'), 'bin/helm')]
  .filter((c): c is string => !!c)
  .find((c) => spawnSync(c, ['version', '--short'], { encoding: 'utf8' }).status === 0);
// Resolved from the project's node_modules, or from NODE_PATH (an install outside the tree).
const schemas = (() => {
  try {
    return join(require.resolve('kubernetes-models/package.json', { paths: [root, ...(process.env.NODE_PATH ?? '').split(':').filter(Boolean)] }), '..');
  } catch {
    return null;
  }
})();
const withHelm = helm ? it : it.skip;
const withSchemas = helm && schemas ? it : it.skip;
const renderedBy = helm ? `rendered with ${spawnSync(helm, ['version', '--short'], { encoding: 'utf8' }).stdout.trim()}` : 'NOT rendered: helm is not installed';

const services = readdirSync(join(root, 'services')).filter((d) => existsSync(join(root, 'services', d, 'src/main.ts')));
const install = ['--set-file', `policy=${join(root, 'infra/policy/example.policy.yaml')}`, '--set', 'existingSecret=lead-sla-secrets', '--set', 'kafka.brokers=kafka:9092', '--set', 'database.host=postgres'];

interface EnvVar { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean } } }
interface Probe { httpGet: { path: string; port: string | number } }
interface Container { name: string; image: string; args?: string[]; command?: string[]; env?: EnvVar[]; envFrom?: Array<{ configMapRef: { name: string } }>; ports?: Array<{ name: string; containerPort: number }>; readinessProbe?: Probe; livenessProbe?: Probe; resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }
interface PodSpec { containers: Container[]; volumes?: Array<{ name: string; configMap?: { name: string } }>; restartPolicy?: string }
interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec?: { selector?: { matchLabels: Record<string, string> }; template?: { metadata: { labels: Record<string, string> }; spec: PodSpec }; maxUnavailable?: number };
  data?: Record<string, string>;
}

function render(args: string[]): { status: number | null; manifests: Manifest[]; stderr: string } {
  // An explicit Kubernetes version: a helm built with `go install` defaults to v1.20, below the chart's kubeVersion.
  const r = spawnSync(helm!, ['template', 'lead-sla', chart, '--kube-version', '1.31.0', ...args], { encoding: 'utf8' });
  const manifests = r.status === 0 ? parseAllDocuments(r.stdout).map((d) => d.toJS() as Manifest).filter(Boolean) : [];
  return { status: r.status, manifests, stderr: r.stderr };
}
const installed = helm ? render(install) : null;
const rendered = installed?.manifests ?? [];
const byKind = (kind: string) => rendered.filter((m) => m.kind === kind);
const containerOf = (m: Manifest) => m.spec!.template!.spec.containers[0];

// The health routes as the code declares them (libs/service-runtime/src/health.controller.ts).
const health = read('libs/service-runtime/src/health.controller.ts');
const healthBase = /@Controller\('([^']+)'\)/.exec(health)![1];
const healthRoute = (method: string) => `/${healthBase}/${new RegExp(`@Get\\('([^']+)'\\)\\s*(?:@HttpCode\\(\\d+\\)\\s*)?(?:async\\s+)?${method}\\(`).exec(health)![1]}`;

describe(`Helm chart infra/helm/lead-sla (${renderedBy})`, () => {
  beforeAll(() => process.stdout.write(`helm chart: ${renderedBy}; Kubernetes schema validation ${helm && schemas ? 'with kubernetes-models' : 'NOT run (kubernetes-models not installed)'}\n`));

  it('declares one service entry per service of the repository, on the port compose gives it', () => {
    const values = parse(readFileSync(join(chart, 'values.yaml'), 'utf8')) as { services: Record<string, { port: number }> };
    const compose = parse(read('docker-compose.yml')) as { services: Record<string, { environment?: Record<string, string> }> };
    expect(Object.keys(values.services).sort()).toEqual([...services].sort());
    for (const s of services) expect({ s, port: String(values.services[s].port) }).toEqual({ s, port: compose.services[s].environment?.PORT });
  });

  withHelm('renders with the install values', () => {
    expect({ status: installed!.status, stderr: installed!.stderr }).toEqual({ status: 0, stderr: '' });
    expect(rendered.length).toBeGreaterThan(0);
  });

  withHelm('passes `helm lint` with the install values', () => {
    const r = spawnSync(helm!, ['lint', chart, '--kube-version', '1.31.0', ...install], { encoding: 'utf8' });
    expect({ status: r.status, output: r.status === 0 ? '' : r.stdout + r.stderr }).toEqual({ status: 0, output: '' });
  });

  withHelm('refuses to render without the Secret name, the policy, Kafka or Postgres, naming the value to set', () => {
    for (const [drop, message] of [['existingSecret', 'set existingSecret'], ['policy', 'set policy'], ['kafka.brokers', 'set kafka.brokers'], ['database.host', 'set database.host']] as const) {
      const args = install.filter((a, i) => !a.startsWith(`${drop}=`) && !(install[i + 1]?.startsWith(`${drop}=`)));
      const r = render(args);
      expect({ drop, status: r.status, named: r.stderr.includes(message) }).toEqual({ drop, status: 1, named: true });
    }
  });

  withHelm.each(services)('runs %s as a Deployment with ready/live probes on the real health routes, resources, a Service and a PodDisruptionBudget', (name) => {
    const deployment = byKind('Deployment').find((d) => d.metadata.name === `lead-sla-${name}`)!;
    const container = containerOf(deployment);
    const port = container.ports!.find((p) => p.name === 'http')!.containerPort;
    expect(container.args).toEqual(['serve']);
    expect(container.env).toEqual(expect.arrayContaining([{ name: 'SERVICE', value: name }, { name: 'PORT', value: String(port) }]));
    expect(container.readinessProbe!.httpGet).toEqual({ path: healthRoute('ready'), port: 'http' });
    expect(container.livenessProbe!.httpGet).toEqual({ path: healthRoute('live'), port: 'http' });
    expect(container.resources?.requests).toEqual(expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }));
    expect(container.resources?.limits?.memory).toBeTruthy();
    const podLabels = deployment.spec!.template!.metadata.labels;
    expect(podLabels).toEqual(expect.objectContaining(deployment.spec!.selector!.matchLabels));
    const pdb = byKind('PodDisruptionBudget').find((p) => p.metadata.name === `lead-sla-${name}`)!;
    expect(podLabels).toEqual(expect.objectContaining(pdb.spec!.selector!.matchLabels));
    const service = byKind('Service').find((p) => p.metadata.name === `lead-sla-${name}`) as unknown as { spec: { selector: Record<string, string>; ports: Array<{ port: number }> } };
    expect(podLabels).toEqual(expect.objectContaining(service.spec.selector));
    expect(service.spec.ports[0].port).toBe(port);
  });

  withHelm('mounts the policy ConfigMap (the policy given) where POLICY_FILE points, and reads settings from a ConfigMap', () => {
    const policy = byKind('ConfigMap').find((c) => c.metadata.name === 'lead-sla-policy')!;
    expect(policy.data!['policy.yaml'].trim()).toBe(read('infra/policy/example.policy.yaml').trim());
    const settings = byKind('ConfigMap').find((c) => c.metadata.name === 'lead-sla-settings')!;
    expect(settings.data!.POLICY_FILE).toBe('/etc/lead-sla/policy.yaml');
    for (const d of byKind('Deployment')) {
      expect(containerOf(d).envFrom).toEqual([{ configMapRef: { name: 'lead-sla-settings' } }]);
      expect(d.spec!.template!.spec.volumes).toEqual(expect.arrayContaining([{ name: 'policy', configMap: { name: 'lead-sla-policy' } }]));
    }
  });

  withHelm('provisions the roles, then migrates every service, as pre-install/pre-upgrade hook Jobs', () => {
    const jobs = byKind('Job');
    const weight = (j: Manifest) => Number(j.metadata.annotations?.['helm.sh/hook-weight']);
    const provision = jobs.find((j) => j.metadata.name === 'lead-sla-provision-roles')!;
    const main = containerOf(provision).command!.find((a) => a.endsWith('.main.ts'))!;
    expect(existsSync(join(root, main))).toBe(true);
    for (const name of services) {
      const migrate = jobs.find((j) => j.metadata.name === `lead-sla-migrate-${name}`)!;
      expect(containerOf(migrate).args).toEqual(['migrate']);
      expect(migrate.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
      expect(weight(migrate)).toBeGreaterThan(weight(provision));
      expect(containerOf(migrate).env).toEqual(expect.arrayContaining([
        { name: 'MIGRATION_DATABASE_URL', value: 'postgres://lead_sla_migrator:$(MIGRATION_DB_PASSWORD)@postgres:5432/lead_sla' },
        { name: 'DATABASE_URL', value: `postgres://lead_sla_${name}:$(LEAD_SLA_DB_PASSWORD)@postgres:5432/lead_sla` },
      ]));
    }
    expect(provision.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
    expect(jobs.every((j) => j.spec!.template!.spec.restartPolicy === 'Never')).toBe(true);
  });

  withHelm('creates no Secret and takes every secret from the existing Secret; $(VAR) references come earlier in the same container', () => {
    expect(byKind('Secret')).toEqual([]);
    const containers = rendered.filter((m) => m.spec?.template).map(containerOf);
    expect(containers.length).toBe(services.length * 2 + 1);
    for (const c of containers) {
      const env = c.env ?? [];
      for (const [i, v] of env.entries()) {
        if (/PASSWORD|SECRET|_KEY$|WEBHOOK_URL|ADMIN_DATABASE_URL/.test(v.name)) expect({ c: c.name, v: v.name, ref: v.valueFrom?.secretKeyRef?.name }).toEqual({ c: c.name, v: v.name, ref: 'lead-sla-secrets' });
        for (const ref of (v.value ?? '').matchAll(/\$\(([A-Z0-9_]+)\)/g)) expect({ v: v.name, ref: ref[1], earlier: env.slice(0, i).some((e) => e.name === ref[1]) }).toEqual({ v: v.name, ref: ref[1], earlier: true });
      }
    }
  });

  withHelm('sets only documented settings (docs/configuration.md) on the services', () => {
    const documented = new Set([...read('docs/configuration.md').matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]));
    const internal = new Set(['LEAD_SLA_DB_PASSWORD']); // only substituted into DATABASE_URL
    const settings = byKind('ConfigMap').find((c) => c.metadata.name === 'lead-sla-settings')!;
    const names = [...Object.keys(settings.data!), ...rendered.filter((m) => m.spec?.template).flatMap((m) => (containerOf(m).env ?? []).map((e) => e.name))];
    expect([...new Set(names)].filter((n) => !documented.has(n) && !internal.has(n))).toEqual([]);
  });

  withSchemas('renders manifests valid against the Kubernetes schemas (kubernetes-models)', () => {
    // kubernetes-models is an ES module: validate in a child Node.js process, one result per manifest.
    const script = `
      import { pathToFileURL } from 'node:url';
      const manifests = JSON.parse(await new Response(process.stdin).text());
      const results = [];
      for (const m of manifests) {
        const path = [${JSON.stringify(schemas)}, ...(m.apiVersion.includes('/') ? m.apiVersion.split('/') : [m.apiVersion]), 'index.js'].join('/');
        const Model = (await import(pathToFileURL(path).href))[m.kind];
        try { if (!Model) throw new Error('no model for ' + m.apiVersion + ' ' + m.kind); new Model(m).validate(); results.push({ kind: m.kind, name: m.metadata.name, error: null }); }
        catch (e) { results.push({ kind: m.kind, name: m.metadata.name, error: e.message }); }
      }
      process.stdout.write(JSON.stringify(results));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { input: JSON.stringify(rendered), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const results = JSON.parse(r.stdout) as Array<{ kind: string; name: string; error: string | null }>;
    expect(results).toHaveLength(rendered.length);
    expect(results.filter((x) => x.error)).toEqual([]);
  });
});

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ServiceMetrics } from '@lead-sla/service-runtime';

// The operator kit (Prometheus alert rules, Grafana dashboard, their compose wiring) may only name
// metrics the services really export. The names are read from the code (every `name: 'lead_sla_…'` or
// OpenTelemetry-named `name: 'http_server_…'` given to prom-client or ServiceMetrics) plus the registry's
// default process/Node.js metrics.
const root = join(__dirname, '../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir)).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(join(root, path)).isDirectory()) return entry === 'node_modules' ? [] : sourceFiles(path);
    return path.endsWith('.ts') && !/\.(int-|e2e-)?spec\.ts$/.test(path) ? [path] : [];
  });
}

const METRIC_NAME = /name: '((?:lead_sla|http_server)_[a-z0-9_]+)'/g;
const declared = new Map<string, string>(); // metric name → file declaring it
for (const file of [...sourceFiles('libs'), ...sourceFiles('services')]) {
  for (const m of read(file).matchAll(METRIC_NAME)) declared.set(m[1], file);
}
const defaults = new ServiceMetrics('operator-kit-spec').registry.getMetricsAsArray().map((m) => m.name);
const histograms = new Set([...read('libs/service-runtime/src/service-metrics.ts').matchAll(METRIC_NAME)].map((m) => m[1]).filter((name) => name.endsWith('_seconds')));
// Series Prometheus itself adds to every scrape target.
const prometheusSeries = new Set(['up']);

/** Whether a series name exists: a declared or default metric, or a histogram's _bucket/_sum/_count. */
function exported(series: string): boolean {
  if (declared.has(series) || defaults.includes(series) || prometheusSeries.has(series)) return true;
  const base = /^(.*)_(bucket|sum|count)$/.exec(series)?.[1];
  return !!base && (histograms.has(base) || defaults.includes(base));
}

/** Metric names in a PromQL expression: identifiers not followed by `(` or inside by/without lists, label matchers or strings. */
function seriesOf(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '[]');
  const keywords = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);
  return [...stripped.matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()/g)].map((m) => m[1]).filter((t) => !keywords.has(t.toLowerCase()) && !/^\d/.test(t));
}

interface Rule { alert: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }
const rulesFile = 'infra/prometheus/lead-sla.rules.yaml';
const rules = (parse(read(rulesFile)) as { groups: Array<{ name: string; rules: Rule[] }> }).groups.flatMap((g) => g.rules);

interface Target { expr?: string; rawSql?: string; datasource: { uid: string } }
interface Panel { type: string; title: string; datasource?: { uid: string }; targets?: Target[] }
const dashboard = JSON.parse(read('infra/grafana/dashboards/lead-sla.json')) as { uid: string; panels: Panel[] };
const queryPanels = dashboard.panels.filter((p) => p.type !== 'row');
const datasources = (parse(read('infra/grafana/provisioning/datasources/lead-sla.yaml')) as { datasources: Array<{ uid: string; type: string; url: string; user?: string }> }).datasources;

const promtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0;
const checker = promtool ? 'promtool' : 'the YAML parser (promtool not installed: apt-get install -y prometheus)';

describe('metric names the operator kit relies on', () => {
  it('are read from the code: the runtime, messaging, timer and notifications metrics are all found', () => {
    expect([...declared.keys()].sort()).toEqual(expect.arrayContaining([
      'lead_sla_breach_fire_delay_seconds', 'lead_sla_breach_watermark_delay_seconds', 'lead_sla_clock_steps_total', 'lead_sla_consumer_lag',
      'lead_sla_dead_letters_total', 'http_server_request_duration_seconds', 'lead_sla_notification_dead_letters', 'lead_sla_outbox_backlog', 'lead_sla_pending_deadlines',
    ]));
    expect(defaults).toContain('lead_sla_nodejs_eventloop_lag_p99_seconds');
    expect(exported('lead_sla_no_such_metric')).toBe(false);
    expect(seriesOf('sum by (le, clock) (rate(lead_sla_x_bucket{job="a b"}[5m])) > 0 and up')).toEqual(['lead_sla_x_bucket', 'up']);
  });
});

describe(`Prometheus alert rules (${rulesFile}), checked with ${checker}`, () => {
  // Printed too, so a run without promtool is not mistaken for one with it.
  beforeAll(() => process.stdout.write(`operator kit: alert rules checked with ${checker}\n`));

  it('covers lag, a stuck relay, dead-letter growth, fire delay, watermark delay and clock steps', () => {
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining([
      'LeadSlaConsumerLagHigh', 'LeadSlaOutboxRelayStuck', 'LeadSlaDeadLettersGrowing', 'LeadSlaBreachFireDelayHigh', 'LeadSlaWatermarkDelayHigh', 'LeadSlaClockStep',
    ]));
  });

  it.each(rules.map((r) => [r.alert, r] as const))('%s names only exported metrics and says what to do', (_name, rule) => {
    const series = seriesOf(rule.expr);
    expect(series.length).toBeGreaterThan(0);
    expect(series.filter((s) => !exported(s))).toEqual([]);
    expect(['critical', 'warning']).toContain(rule.labels?.severity);
    expect(rule.annotations?.summary).toBeTruthy();
    expect(rule.annotations?.description?.length).toBeGreaterThan(60);
    if (rule.for !== undefined) expect(rule.for).toMatch(/^\d+[smh]$/);
  });

  it('has unique alert names', () => {
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
  });

  (promtool ? it : it.skip)('passes `promtool check rules`, `promtool check config` and the unit tests in lead-sla.rules.test.yaml (`promtool test rules`)', () => {
    for (const args of [['check', 'rules', 'lead-sla.rules.yaml'], ['check', 'config', 'prometheus.yml'], ['test', 'rules', 'lead-sla.rules.test.yaml']]) {
      const r = spawnSync('promtool', args, { cwd: join(root, 'infra/prometheus'), encoding: 'utf8' });
      expect({ args: args.join(' '), status: r.status, output: r.status === 0 ? '' : `${r.stdout}${r.stderr}` }).toEqual({ args: args.join(' '), status: 0, output: '' });
    }
  });

  it('has promtool unit tests for at least two alerts, each expecting the alert and its absence', () => {
    const tests = (parse(read('infra/prometheus/lead-sla.rules.test.yaml')) as { tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }> }).tests;
    const cases = tests.flatMap((t) => t.alert_rule_test);
    const tested = new Set(cases.filter((c) => c.exp_alerts.length > 0).map((c) => c.alertname));
    expect(tested.size).toBeGreaterThanOrEqual(2);
    for (const alert of tested) expect(cases.some((c) => c.alertname === alert && c.exp_alerts.length === 0)).toBe(true);
    for (const alert of tested) expect(rules.map((r) => r.alert)).toContain(alert);
  });
});

describe('Grafana dashboard (infra/grafana/dashboards/lead-sla.json)', () => {
  it('shows consumer lag, outbox backlog, breach fire delay, dead letters, HTTP latency and the SLA figures', () => {
    const titles = queryPanels.map((p) => p.title.toLowerCase());
    for (const wanted of ['consumer lag', 'outbox backlog', 'breach fire delay', 'dead letters', 'http latency', 'sla compliance', 'pending deadlines']) {
      expect({ wanted, found: titles.some((t) => t.includes(wanted)) }).toEqual({ wanted, found: true });
    }
  });

  it.each(queryPanels.map((p) => [p.title, p] as const))('"%s" queries a provisioned datasource, and only exported metrics', (_title, panel) => {
    expect(panel.targets?.length).toBeGreaterThan(0);
    for (const target of panel.targets ?? []) {
      expect(datasources.map((d) => d.uid)).toContain(target.datasource.uid);
      if (target.expr !== undefined) {
        const series = seriesOf(target.expr.replace(/\$__rate_interval/g, '5m'));
        expect(series.length).toBeGreaterThan(0);
        expect(series.filter((s) => !exported(s))).toEqual([]);
      } else {
        expect(target.rawSql).toBeTruthy();
      }
    }
  });

  it('reads the SLA figures from BI contract columns that exist, as the read-only BI login', () => {
    const migration = read('services/reporting/src/migrations/1764000000320-bi-contract-v1.migration.ts');
    const clocks = JSON.parse(/const CLOCKS = (\[[^\]]+\])/.exec(migration)![1].replace(/'/g, '"')) as string[];
    const scorecard = /const SCORECARD_V1[^=]*= \[([\s\S]*?)\n\];/.exec(migration)![1];
    const columns = new Set([
      ...[...scorecard.matchAll(/^\s*\['([a-z0-9_]+)'/gm)].map((m) => m[1]),
      ...[...scorecard.matchAll(/\[`\$\{c\}_([a-z_]+)`/g)].flatMap((m) => clocks.map((c) => `${c}_${m[1]}`)),
    ]);
    const sqlTargets = queryPanels.flatMap((p) => p.targets ?? []).filter((t) => t.rawSql);
    expect(sqlTargets.length).toBeGreaterThan(0);
    for (const { rawSql } of sqlTargets) {
      expect(rawSql).toContain('FROM bi.scorecard_daily_v1');
      const selected = /^SELECT ([\s\S]*?)\nFROM/.exec(rawSql!)![1].split(',').map((c) => c.trim().split(/\s+/)[0]);
      expect(selected.filter((c) => !columns.has(c))).toEqual([]);
    }
    expect(datasources.find((d) => d.uid === 'lead-sla-bi')?.user).toBe('lead_sla_bi_reader');
  });
});

describe('compose wiring of Prometheus and Grafana', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, { volumes?: string[]; ports?: string[]; environment?: Record<string, string> }>; volumes: Record<string, unknown> };
  const mounts = (service: string) => (compose.services[service].volumes ?? []).map((v) => v.split(':')).filter(([source]) => source.startsWith('./'));

  it('mounts files that exist, the rules where prometheus.yml names them, and the dashboards where the provider reads them', () => {
    for (const [source] of [...mounts('prometheus'), ...mounts('grafana')]) expect(statSync(join(root, source)).isFile() || statSync(join(root, source)).isDirectory()).toBe(true);
    const config = parse(read('infra/prometheus/prometheus.yml')) as { rule_files: string[]; scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }> };
    const mounted = new Map(mounts('prometheus').map(([source, target]) => [target, source]));
    for (const file of config.rule_files) expect(mounted.get(`/etc/prometheus/${file}`)).toBe(`./${rulesFile}`);
    const provider = parse(read('infra/grafana/provisioning/dashboards/lead-sla.yaml')) as { providers: Array<{ options: { path: string } }> };
    expect(mounts('grafana').find(([, target]) => target === provider.providers[0].options.path)?.[0]).toBe('./infra/grafana/dashboards');
  });

  it('scrapes every service at its compose port, and Grafana reaches Prometheus by its compose name', () => {
    const config = parse(read('infra/prometheus/prometheus.yml')) as { scrape_configs: Array<{ static_configs: Array<{ targets: string[] }> }> };
    const targets = config.scrape_configs.flatMap((c) => c.static_configs.flatMap((s) => s.targets));
    const services = readdirSync(join(root, 'services')).filter((d) => compose.services[d]?.environment?.PORT);
    expect(services.length).toBe(6);
    expect(targets.sort()).toEqual(services.map((s) => `${s}:${compose.services[s].environment!.PORT}`).sort());
    expect(datasources.find((d) => d.type === 'prometheus')?.url).toBe('http://prometheus:9090');
  });

  it('publishes no Prometheus port, and Grafana has no default admin password', () => {
    expect(compose.services.prometheus.ports ?? []).toEqual([]);
    expect(compose.services.grafana.environment?.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?.+\}$/);
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['prometheus-data', 'grafana-data']));
  });
});

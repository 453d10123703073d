import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { leadCreatedData, uniqueName } from '@lead-sla/testing';
import { composeProblems, NO_HEALTHCHECK } from './compose-file';

/*
 * The compose stack's smoke test. Where a Docker engine and the compose
 * plugin answer the docker CLI, it builds the image, starts docker-compose.yml
 * (under a project name of its own), checks every service's state and health
 * and follows one lead from ingest to reporting. Where they do not (as on the
 * machine this was written on), it runs only the checks that need no engine,
 * and its output and test names say plainly that the stack was not built or
 * run (docs/operations.md, "What was verified where").
 */
const root = join(__dirname, '../../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');
const firstLine = (text: string | undefined) => (text ?? '').trim().split('\n')[0];
const secret = () => randomBytes(18).toString('hex');

// The stack's secrets for this run only (compose refuses to start without them).
const adminKey = `lsk_smoke_${secret()}`;
const stackEnv: NodeJS.ProcessEnv = {
  ...process.env,
  POSTGRES_PASSWORD: secret(),
  MIGRATION_DB_PASSWORD: secret(),
  ...Object.fromEntries(['ROUTING', 'TIMER', 'DISPOSITION', 'REPORTING', 'INGEST', 'NOTIFICATIONS'].map((s) => [`${s}_DB_PASSWORD`, secret()])),
  GRAFANA_ADMIN_PASSWORD: secret(),
  INGEST_ADMIN_KEY: adminKey,
  LEAD_SLA_VERSION: 'smoke',
};
const project = uniqueName('lead-sla-smoke').toLowerCase().replace(/[^a-z0-9-]/g, '-');
const docker = (args: string[], timeoutMs = 60_000): SpawnSyncReturns<string> => spawnSync('docker', args, { cwd: root, env: stackEnv, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
const compose = (args: string[], timeoutMs?: number) => docker(['compose', '-p', project, '-f', 'docker-compose.yml', ...args], timeoutMs);

const engine = (() => {
  const info = docker(['info', '--format', '{{.ServerVersion}}'], 20_000);
  if (info.error || info.status !== 0) return { ok: false as const, why: `no Docker engine answers the docker CLI (${firstLine(info.stderr) || info.error?.message})` };
  const plugin = docker(['compose', 'version', '--short'], 20_000);
  if (plugin.error || plugin.status !== 0) return { ok: false as const, why: `Docker ${info.stdout.trim()} answers, but the compose plugin is missing (${firstLine(plugin.stderr) || plugin.error?.message})` };
  return { ok: true as const, what: `Docker ${info.stdout.trim()}, compose ${plugin.stdout.trim()}` };
})();
const ran = engine.ok ? `built and run on ${engine.what}` : `NOT built or run here: ${engine.why}`;
const withEngine = engine.ok ? it : it.skip;

const services = (parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, { restart?: string }> }).services;

describe(`the compose stack (${ran})`, () => {
  beforeAll(() => {
    if (!engine.ok) {
      process.stdout.write(`\ncompose smoke: the stack was NOT built or run here — ${engine.why}. Only docker-compose.yml and the Dockerfile were checked, statically.\n`);
      return;
    }
    process.stdout.write(`\ncompose smoke: building and starting docker-compose.yml as project ${project} on ${engine.what}\n`);
    const build = compose(['build'], 30 * 60_000);
    if (build.status !== 0) throw new Error(`docker compose build failed:\n${build.stderr.slice(-4000)}`);
    const up = compose(['up', '-d', '--wait', '--wait-timeout', '600'], 12 * 60_000);
    if (up.status !== 0) throw new Error(`docker compose up --wait failed:\n${up.stderr.slice(-4000)}\n${compose(['ps', '-a']).stdout}`);
  }, 45 * 60_000);

  afterAll(() => {
    if (engine.ok) compose(['down', '-v', '--remove-orphans'], 5 * 60_000);
  }, 6 * 60_000);

  it('passes the checks that need no engine (docker-compose.yml, Dockerfile, docs/configuration.md)', () => {
    expect(composeProblems({ compose: read('docker-compose.yml'), configuration: read('docs/configuration.md'), dockerfile: read('Dockerfile') })).toEqual([]);
  });

  withEngine('runs every service: the one-shot steps exited 0, the others are running and healthy', () => {
    const ps = compose(['ps', '-a', '--format', 'json']);
    expect(ps.status).toBe(0);
    const text = ps.stdout.trim();
    const rows = (text.startsWith('[') ? JSON.parse(text) : text.split('\n').map((l) => JSON.parse(l))) as Array<{ Service: string; State: string; Health: string; ExitCode: number }>;
    const seen = Object.fromEntries(rows.map((r) => [r.Service, r.State === 'exited' ? `exited ${r.ExitCode}` : `${r.State} ${r.Health || 'no healthcheck'}`]));
    const expected = Object.fromEntries(
      Object.entries(services).map(([name, s]) => [name, s.restart === 'no' ? 'exited 0' : NO_HEALTHCHECK[name] ? 'running no healthcheck' : 'running healthy']),
    );
    expect(seen).toEqual(expected);
  });

  withEngine('follows one lead from ingest (3005) to reporting (3004), routed by the services in between', async () => {
    const leadId = uniqueName('smoke-lead');
    const accepted = await fetch('http://127.0.0.1:3005/v1/leads', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminKey}` },
      body: JSON.stringify({ leadId, data: leadCreatedData({ territory: 'emea', intentTier: 'hot' }) }),
    });
    expect(accepted.status).toBe(202);
    // Routing decides (assigned, or queued outside working hours) and reporting projects it.
    let status: string | undefined;
    for (const until = Date.now() + 90_000; Date.now() < until; await new Promise((r) => setTimeout(r, 1000))) {
      const res = await fetch(`http://127.0.0.1:3004/api/leads/${encodeURIComponent(leadId)}`, { headers: { 'x-api-key': adminKey } });
      if (res.ok) status = ((await res.json()) as { status?: string }).status;
      if (status === 'awaiting_first_touch' || status === 'queued') break;
    }
    expect(['awaiting_first_touch', 'queued']).toContain(status);
  }, 120_000);
});

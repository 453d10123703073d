import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a V8 `.cpuprofile` (written by `node --cpu-prof`) this summary reads. */
export interface CpuProfile {
  readonly nodes: ReadonlyArray<{ readonly id: number; readonly callFrame: { readonly functionName: string; readonly url: string } }>;
  /** Microseconds, on the process's monotonic clock. */
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileSummary {
  /** CPU time sampled in the window (samples that were not idle). */
  readonly busyMs: number;
  /** Share of busy time per place (a package, a project folder, the garbage collector, the Node.js runtime), largest first. */
  readonly byPlace: ReadonlyArray<readonly [string, number]>;
  /** Share of busy time per function (self time), largest first. */
  readonly topFunctions: ReadonlyArray<readonly [string, number]>;
}

/** Where a sampled frame's code lives: a package, a project folder, the garbage collector or the runtime itself. */
export function placeOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'GC';
  if (!url) return functionName.startsWith('(') ? functionName : 'Node.js runtime';
  if (url.startsWith('node:')) return 'Node.js runtime';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg.startsWith('@opentelemetry/') ? 'OpenTelemetry' : pkg;
  const own = /\/(libs|services|contracts|infra)\/([^/]+)\//.exec(url);
  return own ? `${own[1]}/${own[2]}` : url;
}

/** Self time of the last `windowMs` of a profile (the part of the run being measured), by place and by function. */
export function summariseProfile(profile: CpuProfile, windowMs: number): ProfileSummary {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const from = profile.endTime - windowMs * 1000;
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  let t = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    t += delta;
    if (t <= from) continue; // a sample covers the delta before its time stamp
    const frame = frames.get(profile.samples[i]);
    if (!frame || frame.functionName === '(idle)') continue;
    const place = placeOf(frame.url, frame.functionName);
    busy += delta;
    byPlace.set(place, (byPlace.get(place) ?? 0) + delta);
    const fn = `${frame.functionName || '(anonymous)'} [${place}]`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + delta);
  }
  const shares = (m: Map<string, number>) => [...m].sort(([, a], [, b]) => b - a).map(([k, v]) => [k, busy === 0 ? 0 : v / busy] as const);
  return { busyMs: busy / 1000, byPlace: shares(byPlace), topFunctions: shares(byFunction) };
}

/** The profiles `node --cpu-prof --cpu-prof-dir=<dir>` wrote for the given processes (named by pid), summarised. */
export function summariseProcessProfiles(dir: string, pids: Readonly<Record<string, number>>, windowMs: number): Map<string, ProfileSummary> {
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
  const out = new Map<string, ProfileSummary>();
  for (const [name, pid] of Object.entries(pids)) {
    const file = files.find((f) => f.split('.')[3] === String(pid));
    if (file) out.set(name, summariseProfile(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile, windowMs));
  }
  return out;
}

/** "kafkajs 19%, OpenTelemetry 15%, …": the first `n` entries at or above 1 %. */
export function formatShares(shares: ReadonlyArray<readonly [string, number]>, n: number): string {
  return shares
    .filter(([, s]) => s >= 0.01)
    .slice(0, n)
    .map(([k, s]) => `${k} ${Math.round(s * 100)}%`)
    .join(', ');
}

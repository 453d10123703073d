import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from '@lead-sla/local-infra';
import { numberArg, percentile, round, type BenchScenario } from '../bench-scenario';
import { loadAverage } from '../platform-probe';

interface IdleRun {
  readonly mode: 'fixed' | 'unfixed';
  readonly cpu_ms_per_s: number;
  readonly short_timers_per_s: number;
}

function probe(brokers: string, topic: string, mode: IdleRun['mode'], seconds: number): Promise<IdleRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, '..', 'kafka-idle-probe.main.ts'), brokers, topic, mode, String(seconds)], {
      cwd: workspaceRoot,
      env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1', NODE_NO_WARNINGS: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) return reject(new Error(`the ${mode} idle probe exited with ${code}: ${out}`));
      resolve(JSON.parse(line) as IdleRun);
    });
  });
}

/**
 * What an idle Kafka connection costs, with and without the platform's fix of
 * kafkajs's 1 ms request-queue loop (libs/messaging/src/kafkajs-request-queue-fix.ts):
 * a process per run, connected as a service is (producer + consumer group),
 * measured while nothing is sent. Modes alternate within each repetition.
 */
export const kafkaIdleScenario: BenchScenario = {
  name: 'kafka-idle',
  description: 'CPU of an idle Kafka-connected process with and without the kafkajs request-queue fix (--reps=3 --seconds=10)',
  async run(ctx) {
    const reps = numberArg(ctx, 'reps', 3);
    const seconds = numberArg(ctx, 'seconds', 10);
    const runs: IdleRun[] = [];
    const load = { start: loadAverage(), end: 0 };
    for (let repetition = 1; repetition <= reps; repetition++) {
      const order: Array<IdleRun['mode']> = repetition % 2 === 1 ? ['unfixed', 'fixed'] : ['fixed', 'unfixed'];
      for (const mode of order) {
        const run = await probe(ctx.kafkaBrokers, `bench-kafka-idle-${repetition}-${mode}`, mode, seconds);
        ctx.log(`rep ${repetition} ${mode}: ${round(run.cpu_ms_per_s)} ms CPU/s, ${round(run.short_timers_per_s, 0)} timers ≤ 1 ms per s; load ${loadAverage()}`);
        runs.push(run);
      }
    }
    load.end = loadAverage();
    const median = (mode: IdleRun['mode'], key: 'cpu_ms_per_s' | 'short_timers_per_s') => percentile(runs.filter((r) => r.mode === mode).map((r) => r[key]), 50);
    const json = {
      reps,
      seconds,
      unfixed_cpu_ms_per_s: round(median('unfixed', 'cpu_ms_per_s')),
      fixed_cpu_ms_per_s: round(median('fixed', 'cpu_ms_per_s')),
      cpu_ratio: round(median('unfixed', 'cpu_ms_per_s') / median('fixed', 'cpu_ms_per_s'), 2),
      unfixed_short_timers_per_s: round(median('unfixed', 'short_timers_per_s'), 0),
      fixed_short_timers_per_s: round(median('fixed', 'short_timers_per_s'), 0),
      load_start: load.start,
      load_end: load.end,
    };
    return {
      title: `Idle Kafka-connected process, ${reps} × ${seconds} s per mode (medians)`,
      rows: [
        ['CPU, kafkajs as released', `${json.unfixed_cpu_ms_per_s} ms/s (${json.unfixed_short_timers_per_s} timers ≤ 1 ms per s)`],
        ['CPU, with the request-queue fix', `${json.fixed_cpu_ms_per_s} ms/s (${json.fixed_short_timers_per_s} timers ≤ 1 ms per s)`],
        ['ratio', json.cpu_ratio],
        ['load average', `${load.start} → ${load.end}`],
      ],
      json,
    };
  },
};

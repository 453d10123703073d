/** What every benchmark scenario gets: the infrastructure, its arguments and a log. */
export interface BenchContext {
  readonly kafkaBrokers: string;
  readonly databaseUrl: string;
  /** A folder for this run's logs and data. */
  readonly runDir: string;
  /** `--key=value` arguments after the scenario name. */
  readonly args: Readonly<Record<string, string>>;
  log(line: string): void;
}

/** Figures a scenario prints: a table, then one JSON line with the same figures. */
export interface BenchResult {
  readonly title: string;
  readonly rows: ReadonlyArray<readonly [string, string | number]>;
  readonly json: Readonly<Record<string, number | string>>;
}

export interface BenchScenario {
  readonly name: string;
  readonly description: string;
  /** false: the scenario runs in memory, so no Kafka or Postgres is started (its context has empty connection strings). */
  readonly needsInfrastructure?: boolean;
  run(ctx: BenchContext): Promise<BenchResult>;
}

export function numberArg(ctx: BenchContext, key: string, fallback: number): number {
  const raw = ctx.args[key];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${key} must be a positive number (got "${raw}")`);
  return n;
}

/** p-th percentile (0–100) of values, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

import { z } from 'zod';

/** Configuration that cannot be used; every bad variable is named. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A rule across variables that failed: the variable to fix and what to do, shown as `VARIABLE: message`. */
export interface EnvProblem {
  readonly variable: string;
  readonly message: string;
}

/**
 * A group of settings: a zod shape whose keys are the variable names, plus
 * the rules that span several of them (checked once every variable parses).
 */
export interface EnvSettings<S extends z.ZodRawShape = z.ZodRawShape> {
  readonly shape: S;
  rules?(values: z.infer<z.ZodObject<S>>): readonly EnvProblem[];
}

export function envSettings<S extends z.ZodRawShape>(shape: S, rules?: (values: z.infer<z.ZodObject<S>>) => readonly EnvProblem[]): EnvSettings<S> {
  return { shape, rules };
}

/** Marks an issue raised by a rule: its message is shown as written, without the value (it may be a secret). */
const RULE = 'env-rule';

/** One zod schema for several groups of settings: their variables, then their rules. */
export function envSchema(groups: readonly EnvSettings[]) {
  const shape = Object.assign({}, ...groups.map((g) => g.shape)) as z.ZodRawShape;
  return z.object(shape).superRefine((values, ctx) => {
    for (const group of groups) {
      for (const problem of group.rules?.(values) ?? []) ctx.addIssue({ code: 'custom', path: [problem.variable], message: problem.message, params: { [RULE]: true } });
    }
  });
}

/**
 * Validates environment variables against groups of settings whose keys are
 * the variable names (an empty value counts as unset). Errors name each
 * variable and what is wrong with it, all at once.
 */
export function parseEnvGroups(groups: readonly EnvSettings[], env: Record<string, unknown> = process.env): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const group of groups) {
    for (const key of Object.keys(group.shape)) input[key] = env[key] === '' ? undefined : env[key];
  }
  const result = envSchema(groups).safeParse(input);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => {
        const name = String(i.path[0] ?? '(env)');
        if (i.code === 'custom' && (i.params as Record<string, unknown> | undefined)?.[RULE]) return `${name}: ${i.message}`;
        const shown = env[name] === undefined ? 'not set' : `got "${String(env[name])}"`;
        return `${name}: ${i.message} (${shown})`;
      }),
    );
  }
  return result.data;
}

/** Validates one group of settings (see parseEnvGroups). */
export function parseEnv<S extends z.ZodRawShape>(settings: EnvSettings<S>, env: Record<string, unknown> = process.env): z.infer<z.ZodObject<S>> {
  return parseEnvGroups([settings], env) as z.infer<z.ZodObject<S>>;
}

/** Validates the variables of one shape (see parseEnvGroups). */
export function loadEnvConfig<S extends z.ZodRawShape>(shape: S, env: NodeJS.ProcessEnv = process.env): z.infer<z.ZodObject<S>> {
  return parseEnv(envSettings(shape), env);
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Variables every service reads (docs/configuration.md lists them all). */
export const commonEnv = {
  KAFKA_BROKERS: z.string({ message: 'required: comma-separated host:port list' }).regex(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/, 'must be host:port[,host:port…]'),
  DATABASE_URL: z.string({ message: 'required: postgres://user:pass@host:port/db' }).regex(/^postgres(ql)?:\/\//, 'must start with postgres://'),
  /** `migrate` connects as this role (the schema owner) when set; the service itself never uses it. */
  MIGRATION_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres://').optional(),
  POLICY_FILE: z.string({ message: 'required: path to the policy YAML file' }).min(1),
  PORT: z.coerce.number({ message: 'must be a port number' }).int().min(0).max(65535).optional(),
  KAFKA_CLIENT_ID: z.string().optional(),
  KAFKA_SSL: bool.default(false),
  KAFKA_SSL_CA_FILE: z.string().optional(),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional(),
  KAFKA_SASL_USERNAME: z.string().optional(),
  KAFKA_SASL_PASSWORD: z.string().optional(),
  DATABASE_SSL: z.enum(['false', 'true', 'require', 'verify-full'], { message: 'must be false, true, require or verify-full' }).default('false'),
  DATABASE_SSL_CA_FILE: z.string().optional(),
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number({ message: 'must be milliseconds (0: no limit)' }).int().min(0).default(30_000),
  DATABASE_LOCK_TIMEOUT_MS: z.coerce.number({ message: 'must be milliseconds (0: no limit)' }).int().min(0).default(10_000),
  /** false behind a PgBouncer in transaction pooling mode, where a connection's named statements are not the session's. */
  DATABASE_PREPARED_STATEMENTS: bool.default(true),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number({ message: 'must be milliseconds (0: no limit)' }).int().min(0).default(60_000),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  // Read directly where they are used (bootstrap, kafka-client, telemetry, messaging
  // lifecycle); listed here so a bad value stops the service naming the variable.
  HOST: z.string().min(1).optional(),
  KAFKA_LOG_LEVEL: z.string().toLowerCase().pipe(z.enum(['nothing', 'error', 'warn', 'info'], { message: 'must be nothing, error, warn or info' })).optional(),
  OUTBOX_RELAY_MAX_BATCH_BYTES: z.coerce.number({ message: 'must be a number of bytes' }).int().positive().optional(),
  LEAD_EVENTS_PARTITIONS: z.coerce.number({ message: 'must be a number' }).int().positive().optional(),
  DEDUPE_RETENTION_HOURS: z.coerce.number({ message: 'must be a number of hours' }).positive().optional(),
  PRUNE_INTERVAL_MINUTES: z.coerce.number({ message: 'must be a number of minutes' }).positive().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ message: 'must be a URL such as http://otel-collector:4318' }).optional(),
  /** Readiness fails when the oldest unpublished outbox row is older (the relay's lag). */
  HEALTH_OUTBOX_MAX_AGE_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().positive().default(60_000),
  /** Liveness fails when the event loop's 99th-percentile delay between probes is longer. */
  HEALTH_EVENT_LOOP_MAX_DELAY_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().positive().default(5_000),
  /** Fault injection only (docs/reliability.md): the clock reads the host's time plus the milliseconds in this file. */
  FAULT_CLOCK_OFFSET_FILE: z.string().min(1).optional(),
};

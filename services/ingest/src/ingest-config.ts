import { z } from 'zod';
import { envSettings, parseEnv } from '@lead-sla/platform';

/** Ingest's own settings (docs/configuration.md); the common ones come from the runtime. */
export const ingestEnv = {
  INGEST_ADMIN_KEY: z.string().min(32, 'must be at least 32 characters (use e.g. `openssl rand -hex 32`)').optional(),
  INGEST_MAX_BODY_BYTES: z.coerce.number({ message: 'must be a number of bytes' }).int().min(256).max(10 * 1024 * 1024).default(64 * 1024),
  INGEST_RATE_LIMIT_PER_SECOND: z.coerce.number({ message: 'must be a number' }).positive().default(50),
  INGEST_RATE_LIMIT_BURST: z.coerce.number({ message: 'must be a number' }).int().positive().default(100),
  INGEST_FAILED_AUTH_RATE_PER_SECOND: z.coerce.number({ message: 'must be a number' }).positive().default(1),
  INGEST_FAILED_AUTH_BURST: z.coerce.number({ message: 'must be a number' }).int().positive().default(20),
  INGEST_MAX_FUTURE_SKEW_MS: z.coerce.number({ message: 'must be a number of milliseconds' }).int().min(0).default(5 * 60 * 1000),
  INGEST_MAX_BACKDATE_HOURS: z.coerce.number({ message: 'must be a number of hours' }).positive().default(72),
  INGEST_IDEMPOTENCY_RETENTION_HOURS: z.coerce.number({ message: 'must be a number of hours' }).positive().default(168),
};

export const ingestSettings = envSettings(ingestEnv);

export type IngestConfig = ReturnType<typeof loadIngestConfig>;

export function loadIngestConfig(env: NodeJS.ProcessEnv = process.env) {
  return parseEnv(ingestSettings, env);
}

export const INGEST_CONFIG = Symbol('IngestConfig');

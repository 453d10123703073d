import { commonEnv, loadEnvConfig } from '@lead-sla/platform';

export type RuntimeConfig = ReturnType<typeof loadRuntimeConfig>;

/** Environment configuration common to every service, validated at start-up. */
export function loadRuntimeConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadEnvConfig(commonEnv, env);
}

export function databaseSsl(config: RuntimeConfig, readCa: (file: string) => string) {
  switch (config.DATABASE_SSL) {
    case 'false':
      return false;
    case 'true':
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-full':
      return { rejectUnauthorized: true, ...(config.DATABASE_SSL_CA_FILE ? { ca: readCa(config.DATABASE_SSL_CA_FILE) } : {}) };
  }
}

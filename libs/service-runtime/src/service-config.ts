import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { ConfigModule, type ConfigService } from '@nestjs/config';
import type { z } from 'zod';
import { authSettings } from '@lead-sla/auth';
import { commonEnv, envSettings, parseEnvGroups, type EnvSettings } from '@lead-sla/platform';
import type { ServiceDefinition } from './service-definition';

/** The variables every service reads (Kafka, Postgres, policy, port, logging…). */
export const commonSettings = envSettings(commonEnv);

/** Every setting a service validates: the common ones, identity, and its own (ServiceDefinition.settings). */
export function settingsOf(definition: Pick<ServiceDefinition, 'settings'>): readonly EnvSettings[] {
  return [commonSettings, authSettings, ...(definition.settings ?? [])];
}

/** The names of the variables a service validates, as docs/configuration.md lists them. */
export function variablesOf(definition: Pick<ServiceDefinition, 'settings'>): string[] {
  return settingsOf(definition).flatMap((s) => Object.keys(s.shape));
}

/**
 * ConfigModule's `validate`: one zod schema for all of the service's
 * variables; a bad set throws one ConfigError naming every variable that is
 * wrong and what to do.
 */
export function validateServiceEnv(definition: Pick<ServiceDefinition, 'settings'>): (env: Record<string, unknown>) => Record<string, unknown> {
  return (env) => parseEnvGroups(settingsOf(definition), env);
}

/**
 * The service's settings as Nest's ConfigModule, validated when it is built.
 * Built per application, not when a module file is imported: the environment
 * is read when the app is created (tests and the replay set it just before).
 * ConfigService answers only validated values (skipProcessEnv), so an empty
 * or unchecked variable never reaches a service.
 */
export function serviceConfigModule(definition: Pick<ServiceDefinition, 'settings'>): Promise<DynamicModule> {
  return ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, skipProcessEnv: true, cache: true, validate: validateServiceEnv(definition) });
}

@Module({})
class ServiceApplicationModule {}

/**
 * What a service's app is created from (bootstrap, replay, int tests): its
 * validated configuration plus its module. Throws ConfigError when a setting
 * is wrong, before anything connects.
 */
export async function serviceApplication(definition: Pick<ServiceDefinition, 'settings'>, appModule: Type<unknown>): Promise<DynamicModule> {
  return { module: ServiceApplicationModule, imports: [await serviceConfigModule(definition), appModule] };
}

/** The validated values of one group of settings, read from ConfigModule. */
export function configValues<S extends z.ZodRawShape>(config: ConfigService, settings: EnvSettings<S>): z.infer<z.ZodObject<S>> {
  return Object.fromEntries(Object.keys(settings.shape).map((key) => [key, config.get(key)])) as z.infer<z.ZodObject<S>>;
}

import { z } from 'zod';
import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { ConfigError, envSettings } from '@lead-sla/platform';
import { commonSettings, configValues, serviceApplication, validateServiceEnv, variablesOf } from './service-config';

const own = envSettings({ DEMO_LIMIT: z.coerce.number({ message: 'must be a number' }).int().positive().default(5), DEMO_URL: z.url().optional(), DEMO_KEY: z.string().optional() }, (c) =>
  c.DEMO_URL && !c.DEMO_KEY ? [{ variable: 'DEMO_KEY', message: 'required when DEMO_URL is set' }] : [],
);
const definition = { settings: [own] };
const valid = { KAFKA_BROKERS: 'localhost:9092', DATABASE_URL: 'postgres://u:p@localhost:5432/db', POLICY_FILE: 'policy.yaml' };

describe('service settings (ConfigModule validate)', () => {
  it('checks the common, identity and own variables with one schema, naming every wrong one at once', () => {
    let error: unknown;
    try {
      validateServiceEnv(definition)({ DATABASE_URL: 'mysql://x', AUTH_MODE: 'open', DEMO_LIMIT: 'many' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'KAFKA_BROKERS: required: comma-separated host:port list (not set)',
      'DATABASE_URL: must start with postgres:// (got "mysql://x")',
      'POLICY_FILE: required: path to the policy YAML file (not set)',
      'AUTH_MODE: must be enforce or demo (demo: no identity at all, for `npm start` only) (got "open")',
      'DEMO_LIMIT: must be a number (got "many")',
    ]);
  });

  it('applies the rules across variables once every variable parses, showing no value', () => {
    expect(() => validateServiceEnv(definition)({ ...valid, DEMO_URL: 'https://x.example' })).toThrow(/^invalid configuration:\n {2}- DEMO_KEY: required when DEMO_URL is set$/);
  });

  it('treats an empty variable as unset and fills the defaults', () => {
    expect(validateServiceEnv(definition)({ ...valid, DEMO_LIMIT: '', LOG_LEVEL: '' })).toMatchObject({ DEMO_LIMIT: 5, LOG_LEVEL: 'info', AUTH_MODE: 'enforce' });
  });

  it('prepares the hot statements unless DATABASE_PREPARED_STATEMENTS says false (a transaction-pooling PgBouncer), refusing other words', () => {
    expect(validateServiceEnv(definition)(valid)).toMatchObject({ DATABASE_PREPARED_STATEMENTS: true });
    expect(validateServiceEnv(definition)({ ...valid, DATABASE_PREPARED_STATEMENTS: 'false' })).toMatchObject({ DATABASE_PREPARED_STATEMENTS: false });
    expect(() => validateServiceEnv(definition)({ ...valid, DATABASE_PREPARED_STATEMENTS: 'off' })).toThrow('DATABASE_PREPARED_STATEMENTS: must be true or false (got "off")');
  });

  it('lists every variable a service validates', () => {
    expect(variablesOf(definition)).toEqual(expect.arrayContaining(['KAFKA_BROKERS', 'AUTH_MODE', 'DEMO_LIMIT', 'DEMO_KEY']));
  });

  it('serves only validated values through ConfigService, read when the app is created', async () => {
    @Module({})
    class DemoModule {}
    const saved = { ...process.env };
    Object.assign(process.env, valid, { DEMO_LIMIT: '7', DEMO_URL: '' });
    try {
      const app = await NestFactory.createApplicationContext(await serviceApplication(definition, DemoModule), { logger: false });
      const config = app.get(ConfigService);
      expect(configValues(config, own)).toEqual({ DEMO_LIMIT: 7, DEMO_URL: undefined, DEMO_KEY: undefined });
      expect(configValues(config, commonSettings)).toMatchObject({ KAFKA_BROKERS: 'localhost:9092', KAFKA_SSL: false, DATABASE_POOL_SIZE: 10 });
      await app.close();
      process.env.DEMO_LIMIT = 'none';
      await expect(serviceApplication(definition, DemoModule)).rejects.toThrow(/DEMO_LIMIT: must be a number \(got "none"\)/);
    } finally {
      process.env = saved;
    }
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commonEnv, ConfigError } from '@lead-sla/platform';
import { ingestEnv, loadIngestConfig } from './ingest-config';

const documented = readFileSync(join(__dirname, '../../../docs/configuration.md'), 'utf8');

describe('ingest configuration', () => {
  it('is documented in docs/configuration.md, variable by variable', () => {
    for (const name of [...Object.keys(commonEnv), ...Object.keys(ingestEnv)]) expect(documented).toContain(`| \`${name}\` |`);
  });

  it('stops with an error naming the variable', () => {
    expect(() => loadIngestConfig({ INGEST_ADMIN_KEY: 'short', INGEST_MAX_BODY_BYTES: 'lots' })).toThrow(ConfigError);
    expect(() => loadIngestConfig({ INGEST_MAX_BODY_BYTES: 'lots' })).toThrow(/INGEST_MAX_BODY_BYTES: must be a number of bytes/);
    expect(loadIngestConfig({})).toMatchObject({ INGEST_MAX_BODY_BYTES: 65536, INGEST_RATE_LIMIT_BURST: 100 });
  });
});

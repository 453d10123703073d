import './tracing';
import { ConfigError } from '@lead-sla/platform';
import { bootstrapService, loadRuntimeConfig } from '@lead-sla/service-runtime';
import { createApiKeyCommand } from './api-keys/create-api-key.command';
import { IngestModule, ingestService } from './ingest.module';
import { loadIngestConfig } from './ingest-config';
import { ingestOpenApiDocument } from './openapi/ingest-openapi.document';

// Commands besides serve/migrate: `create-key` (docs/ingest.md) and `openapi` (prints the document).
const [command, ...args] = process.argv.slice(2);
if (command === 'openapi') {
  process.stdout.write(`${JSON.stringify(ingestOpenApiDocument(), null, 2)}\n`);
} else if (command === 'create-key') {
  createApiKeyCommand(ingestService, args).catch((error) => {
    process.stderr.write(`ingest create-key: ${error instanceof ConfigError ? error.message : (error as Error).stack}\n`);
    process.exit(1);
  });
} else {
  if (command !== 'migrate') {
    // Checked before anything connects; all problems at once, common variables and this service's own.
    const problems = [loadRuntimeConfig, loadIngestConfig].flatMap((load) => {
      try {
        load();
        return [];
      } catch (error) {
        if (error instanceof ConfigError) return [...error.problems];
        throw error;
      }
    });
    if (problems.length > 0) {
      process.stderr.write(`ingest: ${new ConfigError(problems).message}\n`);
      process.exit(1);
    }
  }
  void bootstrapService(ingestService, IngestModule);
}

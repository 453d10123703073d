import './tracing';
import { ConfigError } from '@lead-sla/platform';
import { bootstrapService } from '@lead-sla/service-runtime';
import { createApiKeyCommand } from './api-keys/create-api-key.command';
import { IngestModule, ingestService } from './ingest.module';

// Commands besides serve/migrate: `create-key` (docs/ingest.md).
const [command, ...args] = process.argv.slice(2);
if (command === 'create-key') {
  createApiKeyCommand(ingestService, args).catch((error) => {
    process.stderr.write(`ingest create-key: ${error instanceof ConfigError ? error.message : (error as Error).stack}\n`);
    process.exit(1);
  });
} else {
  void bootstrapService(ingestService, IngestModule);
}

import 'reflect-metadata';
import { join } from 'node:path';
import { openApiDocumentOf, writeOpenApiDocument } from '@lead-sla/service-runtime';
import { IngestModule } from '../ingest.module';
import { ingestApi } from './ingest-api';

/** The checked-in copy of ingest's generated OpenAPI document (a unit test fails when it drifts). */
export const ingestOpenApiFile = join(__dirname, '../../../../docs/openapi/ingest.openapi.json');
export const regenerateIngestOpenApi = 'node -r @swc-node/register services/ingest/src/openapi/write-openapi.main.ts';
export const ingestOpenApiDocument = () => openApiDocumentOf(IngestModule, ingestApi);

if (require.main === module) {
  void ingestOpenApiDocument().then((document) => {
    writeOpenApiDocument(ingestOpenApiFile, document);
    process.stdout.write(`wrote ${ingestOpenApiFile}\n`);
  });
}

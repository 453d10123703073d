import 'reflect-metadata';
import { openApiDocumentOf, openApiFileOf, writeOpenApiDocument } from '@lead-sla/service-runtime';
import { IngestModule } from '../ingest.module';
import { ingestApi } from './ingest-api';

/** Ingest's document as served: generated from the controllers (the drift test compares it with the checked-in copy). */
export const ingestOpenApiDocument = () => openApiDocumentOf(IngestModule, ingestApi);

if (require.main === module) {
  void ingestOpenApiDocument().then((document) => {
    writeOpenApiDocument(openApiFileOf('ingest'), document);
    process.stdout.write(`wrote ${openApiFileOf('ingest')}\n`);
  });
}

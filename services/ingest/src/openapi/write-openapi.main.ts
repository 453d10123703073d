import 'reflect-metadata';
import { openApiDocumentOf, writeServiceOpenApi } from '@lead-sla/service-runtime';
import { IngestModule } from '../ingest.module';
import { ingestApi } from './ingest-api';

/** Ingest's document as served: generated from the controllers (the drift test compares it with the checked-in copy). */
export const ingestOpenApiDocument = () => openApiDocumentOf(IngestModule, ingestApi);

if (require.main === module) void writeServiceOpenApi('ingest', ingestOpenApiDocument);

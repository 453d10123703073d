import 'reflect-metadata';
import { openApiDocumentOf, writeServiceOpenApi } from '@lead-sla/service-runtime';
import { DispositionModule } from '../disposition.module';
import { dispositionApi } from './disposition-api';

/** Disposition's document as served: generated from the controllers (the drift test compares it with the checked-in copy). */
export const dispositionOpenApiDocument = () => openApiDocumentOf(DispositionModule, dispositionApi);

if (require.main === module) void writeServiceOpenApi('disposition', dispositionOpenApiDocument);

import 'reflect-metadata';
import { openApiDocumentOf, writeServiceOpenApi } from '@lead-sla/service-runtime';
import { ReportingModule } from '../reporting.module';
import { reportingApi } from './reporting-api';

/** Reporting's document as served: generated from the controllers (the drift test compares it with the checked-in copy). */
export const reportingOpenApiDocument = () => openApiDocumentOf(ReportingModule, reportingApi);

if (require.main === module) void writeServiceOpenApi('reporting', reportingOpenApiDocument);

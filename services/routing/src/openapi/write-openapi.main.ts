import 'reflect-metadata';
import { openApiDocumentOf, writeServiceOpenApi } from '@lead-sla/service-runtime';
import { RoutingModule } from '../routing.module';
import { routingApi } from './routing-api';

/** Routing's document as served: generated from the controllers (the drift test compares it with the checked-in copy). */
export const routingOpenApiDocument = () => openApiDocumentOf(RoutingModule, routingApi);

if (require.main === module) void writeServiceOpenApi('routing', routingOpenApiDocument);

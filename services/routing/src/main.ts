// Tracing starts before Nest (or anything it instruments) is imported.
import { startTelemetry } from '@lead-sla/platform';
startTelemetry('routing');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bootstrapService } = require('@lead-sla/service-runtime') as typeof import('@lead-sla/service-runtime');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { RoutingModule, routingService } = require('./routing.module') as typeof import('./routing.module');

void bootstrapService(routingService, RoutingModule);

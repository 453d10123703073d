// Tracing starts before Nest (or anything it instruments) is imported.
import { startTelemetry } from '@lead-sla/platform';
startTelemetry('disposition');

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { bootstrapService } = require('@lead-sla/service-runtime') as typeof import('@lead-sla/service-runtime');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DispositionModule, dispositionService } = require('./disposition.module') as typeof import('./disposition.module');

void bootstrapService(dispositionService, DispositionModule);

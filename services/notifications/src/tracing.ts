import { startTelemetry } from '@lead-sla/platform';

// Imported first by main.ts: tracing starts before Nest (or anything it instruments) loads.
startTelemetry('notifications');

import type { MigrationInterface } from 'typeorm';
import type { EnvSettings } from '@lead-sla/platform';
import type { StateTable } from './replay/compare-tables';

export interface ServiceDefinition {
  /** routing, timer, disposition, reporting. */
  readonly name: string;
  /** The service's own Postgres schema. */
  readonly schema: string;
  readonly migrations: ReadonlyArray<new () => MigrationInterface>;
  readonly defaultPort: number;
  /** Defaults to lead-sla.<name>. */
  readonly consumerGroup?: string;
  /**
   * false: Nest does not parse request bodies (an edge app reads them itself,
   * e.g. ingest, to enforce its own size limit with JSON errors). Default true.
   */
  readonly bodyParser?: boolean;
  /**
   * The service's work tolerates a little delay (read models, notifications):
   * its consumer lets the broker fill bigger fetches (up to 250 ms or 64 KiB),
   * so it commits fewer, larger batches. Default false: fetch at once.
   */
  readonly latencyTolerant?: boolean;
  /** The tables that hold the service's state: a replay from offset 0 must reproduce them row for row. */
  readonly stateTables?: readonly StateTable[];
  /**
   * The service's own environment variables (beside the common and identity
   * ones): validated with them at start-up by ConfigModule, each listed in
   * docs/configuration.md (a test per service checks both ways).
   */
  readonly settings?: readonly EnvSettings[];
}

export const SERVICE_DEFINITION = Symbol('ServiceDefinition');

/** The fetch a latency-tolerant service's consumer asks for (see ServiceDefinition.latencyTolerant). */
export const LATENCY_TOLERANT_FETCH = { maxWaitTimeInMs: 250, minBytes: 64 * 1024 } as const;

/** The consumer group a service reads lead-events.v1 under (its stored offsets are what it has applied). */
export function consumerGroupOf(definition: Pick<ServiceDefinition, 'name' | 'consumerGroup'>): string {
  return definition.consumerGroup ?? `lead-sla.${definition.name}`;
}

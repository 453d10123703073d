import type { MigrationInterface } from 'typeorm';

export interface ServiceDefinition {
  /** routing, timer, disposition, reporting. */
  readonly name: string;
  /** The service's own Postgres schema. */
  readonly schema: string;
  readonly migrations: ReadonlyArray<new () => MigrationInterface>;
  readonly defaultPort: number;
  /** Defaults to lead-sla.<name>. */
  readonly consumerGroup?: string;
}

export const SERVICE_DEFINITION = Symbol('ServiceDefinition');

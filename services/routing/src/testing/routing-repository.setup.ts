import { testDatabase } from '@lead-sla/testing';
import { routingMigrations } from '../migrations';
import { RoutingStateRepository } from '../route-event/routing-state.repository';

/**
 * Medium tests of RoutingStateRepository (immich style): `const { sut, ctx }
 * = await setup()` against the real Postgres the int project's global setup
 * started (DATABASE_URL), in a database of the spec's own, migrated as in
 * production.
 */
export async function setup() {
  const ctx = await testDatabase({ service: 'routing', schema: 'routing', migrations: routingMigrations });
  return { sut: new RoutingStateRepository(), ctx };
}

import { testDatabase } from '@lead-sla/testing';
import { ContactStateRepository } from '../contact-state/contact-state.repository';
import { dispositionMigrations } from '../migrations';

/**
 * A ContactStateRepository on the real Postgres (started once by the int
 * global setup), in a database of the spec's own migrated like the service:
 * `{ sut, ctx }`, immich style.
 */
export async function setup() {
  const ctx = await testDatabase({ service: 'disposition', schema: 'disposition', migrations: dispositionMigrations });
  return { sut: new ContactStateRepository(), ctx };
}

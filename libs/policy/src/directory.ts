import type { Policy } from './policy.schema';

/**
 * The one notion of an admin person: a directory entry with `admin: true`.
 * Sign-in gives such a person the admin role, and the disposition service
 * lets them accept or reject any MQL for its owner (docs/security.md).
 */
export function directoryAdmins(policy: Pick<Policy, 'directory'>): string[] {
  return policy.directory.filter((e) => e.admin).map((e) => e.id);
}

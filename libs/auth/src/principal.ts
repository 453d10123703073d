import type { Actor } from '@lead-sla/contracts';

export type PersonRole = 'rep' | 'manager' | 'admin';

/**
 * Who is calling, as verified: a person signed in through the identity
 * provider and found in the policy's directory, a machine's API key, or the
 * one user of the local demo mode (AUTH_MODE=demo, `npm start` only).
 */
export type Principal =
  | { readonly kind: 'person'; readonly id: string; readonly role: PersonRole }
  | { readonly kind: 'api_key'; readonly id: string; readonly scopes: readonly string[] }
  | { readonly kind: 'demo'; readonly id: 'demo' };

export const demoPrincipal: Principal = { kind: 'demo', id: 'demo' };

/** The principal as written into a command event (contracts' `actor`). */
export function actorOf(principal: Principal): Actor {
  switch (principal.kind) {
    case 'person':
      return { kind: 'person', id: principal.id, role: principal.role };
    case 'api_key':
      return { kind: 'api_key', id: principal.id, role: principal.scopes.includes('admin') ? 'admin' : 'machine' };
    case 'demo':
      return { kind: 'demo', id: principal.id, role: 'admin' };
  }
}

export function describePrincipal(principal: Principal): string {
  switch (principal.kind) {
    case 'person':
      return `${principal.role} "${principal.id}"`;
    case 'api_key':
      return `API key "${principal.id}" (scopes: ${principal.scopes.join(', ') || 'none'})`;
    case 'demo':
      return 'the demo user';
  }
}

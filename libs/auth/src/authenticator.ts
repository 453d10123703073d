import type { Policy } from '@lead-sla/policy';
import type { AuthConfig } from './auth-config';
import { ApiKeysUnavailableError, type ApiKeyGrant } from './api-key-grants.repository';
import type { JwtVerifier } from './jwt.verifier';
import { cookiesOf, SESSION_COOKIE } from './oidc-sign-in';
import { demoPrincipal, type PersonRole, type Principal } from './principal';

export interface ApiKeyLookup {
  findActive(key: string): Promise<ApiKeyGrant | null>;
}

export type Authentication =
  | { readonly ok: true; readonly principal: Principal }
  | { readonly ok: false; readonly status: 401 | 403 | 503; readonly message: string };

type Headers = Record<string, string | string[] | undefined>;

/** The dashboard session (the ID token) as reporting's proxy forwards it to routing and disposition. */
export const SESSION_HEADER = 'x-dashboard-session';
/** Demo mode only: who the request acts as (reporting's proxy forwards the demo viewer). */
export const DEMO_PERSON_HEADER = 'x-demo-person';

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** Keys ingest issues look like `lsk_<id>_<secret>`; anything else after "Bearer" is taken for a JWT. */
const isApiKey = (token: string) => token.startsWith('lsk_');

/**
 * Turns a request's credentials into a principal: an API key
 * (`X-API-Key: <key>` or `Authorization: Bearer lsk_…`), or a bearer JWT
 * from the configured issuer whose claim (AUTH_PRINCIPAL_CLAIM) matches an
 * entry of the policy's directory. In demo mode everyone is the demo user.
 */
export class Authenticator {
  private readonly cache = new Map<string, { grant: ApiKeyGrant | null; until: number }>();

  constructor(
    private readonly config: AuthConfig,
    private readonly keys: ApiKeyLookup,
    private readonly jwt: JwtVerifier | null,
    private readonly policy: () => Policy,
    private readonly now: () => number,
    /** Verifies the dashboard's session (an ID token for AUTH_DASHBOARD_CLIENT_ID); null without dashboard sign-in. */
    private readonly session: JwtVerifier | null = null,
  ) {}

  get demo(): boolean {
    return this.config.AUTH_MODE === 'demo';
  }

  /**
   * `method`: the dashboard's session cookie counts only for reads (GET,
   * HEAD), so a page on another site cannot make a signed-in browser change
   * anything (cookies go to every port of a host, e.g. disposition's).
   */
  async authenticate(headers: Headers, method = 'GET'): Promise<Authentication> {
    if (this.demo) return this.demoPerson(first(headers[DEMO_PERSON_HEADER])?.trim() || this.config.AUTH_DEMO_PERSON);
    const auth = first(headers['authorization']);
    const bearer = auth && /^Bearer\s+/i.test(auth) ? auth.replace(/^Bearer\s+/i, '').trim() : null;
    const key = first(headers['x-api-key'])?.trim() || (bearer && isApiKey(bearer) ? bearer : null);
    if (key) return this.byApiKey(key);
    if (bearer && this.jwt) return this.byToken(bearer, this.jwt);
    if (bearer) return { ok: false, status: 401, message: 'bearer tokens are not accepted: no identity provider is configured (AUTH_ISSUER); use an API key' };
    // The session forwarded in a header (reporting's dashboard proxy): a header no other site can make a browser send, so it counts for writes.
    const forwarded = first(headers[SESSION_HEADER])?.trim();
    if (forwarded && this.session) return this.byToken(forwarded, this.session);
    const session = cookiesOf(headers['cookie'])[SESSION_COOKIE];
    if (session && this.session && (method === 'GET' || method === 'HEAD')) return this.byToken(session, this.session);
    return {
      ok: false,
      status: 401,
      message: `no credentials: send "X-API-Key: <key>" (a key from ingest's /v1/api-keys)${this.jwt ? ' or "Authorization: Bearer <token>" (a token from the identity provider)' : ''}`,
    };
  }

  /** Demo mode: the named person of the directory (with their role), else the demo user. */
  private demoPerson(id: string | undefined): Authentication {
    if (id === undefined) return { ok: true, principal: demoPrincipal };
    const policy = this.policy();
    const entry = policy.directory.find((e) => e.id === id);
    const known = entry !== undefined || policy.reps.some((r) => r.id === id) || policy.teams.some((t) => t.managerId === id);
    if (!known) return { ok: false, status: 403, message: `demo person "${id}" (AUTH_DEMO_PERSON or ${DEMO_PERSON_HEADER}) is neither in the directory nor a rep or manager of policy version ${policy.version}` };
    return { ok: true, principal: { kind: 'person', id, role: roleOf(policy, id, entry?.admin ?? false) } };
  }

  private async byApiKey(key: string): Promise<Authentication> {
    let grant: ApiKeyGrant | null;
    try {
      grant = await this.grantOf(key);
    } catch (error) {
      if (error instanceof ApiKeysUnavailableError) return { ok: false, status: 503, message: error.message };
      throw error;
    }
    if (!grant) return { ok: false, status: 401, message: 'unknown or revoked API key' };
    return { ok: true, principal: { kind: 'api_key', id: grant.id, scopes: grant.scopes } };
  }

  /** Briefly cached (AUTH_API_KEY_CACHE_MS), unknown keys too, so a flood of bad keys costs no lookup each; a revocation takes effect within that time. */
  private async grantOf(key: string): Promise<ApiKeyGrant | null> {
    const cached = this.cache.get(key);
    if (cached && cached.until > this.now()) return cached.grant;
    const grant = await this.keys.findActive(key);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { grant, until: this.now() + this.config.AUTH_API_KEY_CACHE_MS });
    return grant;
  }

  private async byToken(token: string, verifier: JwtVerifier): Promise<Authentication> {
    let claims: Record<string, unknown>;
    try {
      claims = await verifier.verify(token);
    } catch (error) {
      return { ok: false, status: 401, message: `invalid bearer token: ${(error as Error).message}` };
    }
    const claim = this.config.AUTH_PRINCIPAL_CLAIM;
    const value = claims[claim];
    if (typeof value !== 'string' || value === '') return { ok: false, status: 401, message: `the token has no "${claim}" claim (AUTH_PRINCIPAL_CLAIM) to find the person by` };
    const policy = this.policy();
    const entry = policy.directory.find((e) => (claim === 'email' ? e.email?.toLowerCase() === value.toLowerCase() : e.subject === value));
    if (!entry) return { ok: false, status: 403, message: `signed in as ${claim} "${value}", who is not in the directory of policy version ${policy.version}: add them there` };
    return { ok: true, principal: { kind: 'person', id: entry.id, role: roleOf(policy, entry.id, entry.admin) } };
  }
}

/** Admin when the directory says so; else manager when the id manages anyone; else rep. */
export function roleOf(policy: Policy, id: string, admin: boolean): PersonRole {
  if (admin) return 'admin';
  if (policy.teams.some((t) => t.managerId === id) || policy.reps.some((r) => r.managerId === id)) return 'manager';
  return 'rep';
}

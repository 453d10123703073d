import type { Policy } from '@lead-sla/policy';
import { ApiKeysUnavailableError } from './api-key-grants.repository';
import { loadAuthConfig } from './auth-config';
import { Authenticator, roleOf } from './authenticator';
import type { JwtVerifier } from './jwt.verifier';

// Who is who reads only the organisation and the directory.
const policy = {
  version: 'p1',
  teams: [{ id: 'emea', managerId: 'mgr-emea' }],
  reps: [{ id: 'ava', teamId: 'emea' }],
  directory: [
    { id: 'ava', email: 'Ava@Example.test', admin: false },
    { id: 'mgr-emea', subject: 'okta|42', admin: false },
    { id: 'root', email: 'root@example.test', admin: true },
  ],
} as unknown as Policy;

const verifierOf = (claims: Record<string, unknown> | Error) => ({ verify: async () => { if (claims instanceof Error) throw claims; return claims; } }) as unknown as JwtVerifier;

function setup(env: NodeJS.ProcessEnv = {}, claims: Record<string, unknown> | Error = { email: 'ava@example.test' }) {
  const lookups: string[] = [];
  let now = 0;
  const keys = {
    findActive: async (key: string) => {
      lookups.push(key);
      if (key === 'lsk_broken') throw new ApiKeysUnavailableError('relation "identity.api_keys" does not exist');
      return key === 'lsk_good' ? { id: 'good', scopes: ['read'] } : null;
    },
  };
  const sut = new Authenticator(loadAuthConfig(env), keys, verifierOf(claims), () => policy, () => now, verifierOf(claims));
  return { sut, lookups, advance: (ms: number) => (now += ms) };
}

describe('authenticating a request', () => {
  it('asks for credentials when there are none (401)', async () => {
    expect(await setup().sut.authenticate({})).toMatchObject({ ok: false, status: 401, message: expect.stringContaining('no credentials') });
  });

  it('lets everyone act as the demo admin in demo mode', async () => {
    expect(await setup({ AUTH_MODE: 'demo' }).sut.authenticate({})).toEqual({ ok: true, principal: { kind: 'demo', id: 'demo' } });
  });

  it('in demo mode acts as the configured demo person, or the one a request names, with their role', async () => {
    expect(await setup({ AUTH_MODE: 'demo', AUTH_DEMO_PERSON: 'mgr-emea' }).sut.authenticate({})).toEqual({ ok: true, principal: { kind: 'person', id: 'mgr-emea', role: 'manager' } });
    expect(await setup({ AUTH_MODE: 'demo' }).sut.authenticate({ 'x-demo-person': 'ava' })).toEqual({ ok: true, principal: { kind: 'person', id: 'ava', role: 'rep' } });
    expect(await setup({ AUTH_MODE: 'demo' }).sut.authenticate({ 'x-demo-person': 'nobody' })).toMatchObject({ ok: false, status: 403, message: expect.stringContaining('demo person "nobody"') });
  });

  it('accepts the dashboard session forwarded in X-Dashboard-Session for writes too (no other site can send that header)', async () => {
    expect(await setup().sut.authenticate({ 'x-dashboard-session': 'id-token' }, 'POST')).toEqual({ ok: true, principal: { kind: 'person', id: 'ava', role: 'rep' } });
    expect(await setup().sut.authenticate({ cookie: 'lead_sla_session=id-token' }, 'POST')).toMatchObject({ ok: false, status: 401 });
  });

  it('takes an API key from X-API-Key or a bearer "lsk_" token, and caches the answer, unknown keys too', async () => {
    const { sut, lookups, advance } = setup({ AUTH_API_KEY_CACHE_MS: '1000' });
    expect(await sut.authenticate({ 'x-api-key': 'lsk_good' })).toEqual({ ok: true, principal: { kind: 'api_key', id: 'good', scopes: ['read'] } });
    expect(await sut.authenticate({ authorization: 'Bearer lsk_good' })).toMatchObject({ ok: true });
    expect(await sut.authenticate({ 'x-api-key': 'lsk_bad' })).toMatchObject({ ok: false, status: 401 });
    expect(await sut.authenticate({ 'x-api-key': 'lsk_bad' })).toMatchObject({ ok: false, status: 401 });
    expect(lookups).toEqual(['lsk_good', 'lsk_bad']);
    advance(1001);
    await sut.authenticate({ 'x-api-key': 'lsk_good' });
    expect(lookups).toEqual(['lsk_good', 'lsk_bad', 'lsk_good']);
  });

  it('answers 503 naming the missing deployment step when the key view cannot be read', async () => {
    expect(await setup().sut.authenticate({ 'x-api-key': 'lsk_broken' })).toMatchObject({ ok: false, status: 503, message: expect.stringContaining('SELECT on identity.api_keys') });
  });

  it('maps a verified token to the directory entry with that email (case-insensitive)', async () => {
    expect(await setup({ AUTH_ISSUER: 'https://idp.example', AUTH_AUDIENCE: 'x' }).sut.authenticate({ authorization: 'Bearer a.b.c' })).toEqual({ ok: true, principal: { kind: 'person', id: 'ava', role: 'rep' } });
  });

  it('maps by subject when AUTH_PRINCIPAL_CLAIM=sub, with the role from the policy', async () => {
    const { sut } = setup({ AUTH_PRINCIPAL_CLAIM: 'sub' }, { sub: 'okta|42', email: 'ava@example.test' });
    expect(await sut.authenticate({ authorization: 'Bearer a.b.c' })).toEqual({ ok: true, principal: { kind: 'person', id: 'mgr-emea', role: 'manager' } });
  });

  it('refuses a person missing from the directory (403) and a token without the claim or failing verification (401)', async () => {
    expect(await setup({}, { email: 'eve@example.test' }).sut.authenticate({ authorization: 'Bearer a.b.c' })).toMatchObject({ ok: false, status: 403, message: expect.stringContaining('email "eve@example.test", who is not in the directory of policy version p1') });
    expect(await setup({}, { sub: 'x' }).sut.authenticate({ authorization: 'Bearer a.b.c' })).toMatchObject({ ok: false, status: 401, message: expect.stringContaining('no "email" claim') });
    expect(await setup({}, new Error('"exp" claim timestamp check failed')).sut.authenticate({ authorization: 'Bearer a.b.c' })).toMatchObject({ ok: false, status: 401, message: 'invalid bearer token: "exp" claim timestamp check failed' });
  });

  it('honours the dashboard session cookie for reads only', async () => {
    const { sut } = setup();
    const cookie = { cookie: 'other=1; lead_sla_session=a.b.c' };
    expect(await sut.authenticate(cookie, 'GET')).toMatchObject({ ok: true, principal: { id: 'ava' } });
    expect(await sut.authenticate(cookie, 'POST')).toMatchObject({ ok: false, status: 401 });
  });

  it('derives roles: admin by the directory, manager when managing anyone, else rep', () => {
    expect(roleOf(policy, 'root', true)).toBe('admin');
    expect(roleOf(policy, 'mgr-emea', false)).toBe('manager');
    expect(roleOf(policy, 'ava', false)).toBe('rep');
  });
});

describe('identity settings', () => {
  it('require an audience with an issuer, naming the variable', () => {
    expect(() => loadAuthConfig({ AUTH_ISSUER: 'https://idp.example' })).toThrow(/AUTH_AUDIENCE: required with AUTH_ISSUER/);
  });
});

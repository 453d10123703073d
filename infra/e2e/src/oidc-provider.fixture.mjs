// A local OpenID Connect provider for the dashboard sign-in test (oidc-provider
// is ESM-only and Jest runs CommonJS here, so it runs as its own process).
// Usage: node oidc-provider.fixture.mjs <port> <redirect uri>; prints "ready".
// Its development login form takes any login (used as subject and email) and password.
import Provider from 'oidc-provider';

const [port, redirectUri] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const provider = new Provider(issuer, {
  clients: [{ client_id: 'dashboard', token_endpoint_auth_method: 'none', redirect_uris: [redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
  claims: { openid: ['sub'], email: ['email'], profile: ['name'] },
  // The dashboard keeps the ID token as its session, so the email claim belongs in it.
  conformIdTokenClaims: false,
  findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, email: id, name: id }) }),
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['identity-e2e-only'] },
});
provider.listen(Number(port), '127.0.0.1', () => process.stdout.write('ready\n'));

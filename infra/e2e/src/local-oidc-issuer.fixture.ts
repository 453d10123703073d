import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';

const AUDIENCE = 'lead-sla-platform';

/**
 * A local OpenID provider's public half: discovery and JWKS over HTTP, the
 * signing key kept by the test, which issues tokens as the provider would.
 */
export async function startLocalIssuer() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  let issuer = '';
  const server: Server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/openid-configuration') return res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    if (req.url === '/jwks') return res.end(JSON.stringify({ keys: [jwk] }));
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sign = (email: string, key: CryptoKey = privateKey, iss = issuer) =>
    new SignJWT({ email }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(iss).setAudience(AUDIENCE).setSubject(`sub-${email}`).setIssuedAt().setExpirationTime('10m').sign(key);
  const stranger = (await generateKeyPair('RS256')).privateKey;
  return { issuer, audience: AUDIENCE, sign, forged: (email: string) => sign(email, stranger), stop: () => new Promise<void>((r) => server.close(() => r())) };
}

import { loadIngestConfig } from '../ingest-config';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import type { ApiKeyRecord, ApiKeyRepository } from './api-key.repository';

const GOOD = 'lsk_0123456789ab_good-secret';
const record: ApiKeyRecord = { id: '0123456789ab', name: 'crm', scopes: ['ingest'], ratePerSecond: 2, burst: 3, createdAt: '2026-11-30T00:00:00.000Z', revokedAt: null };

function setup(env: Record<string, string> = {}) {
  const clock = { ms: 1_000 };
  const findActiveByKey = jest.fn(async (key: string) => (key === GOOD ? record : null));
  const sut = new ApiKeyAuthenticator({ findActiveByKey } as unknown as ApiKeyRepository, loadIngestConfig({ INGEST_FAILED_AUTH_RATE_PER_SECOND: '1', INGEST_FAILED_AUTH_BURST: '5', ...env }), () => clock.ms);
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
  return { sut, clock, findActiveByKey, bearer };
}

describe('API key authentication and rate limits', () => {
  it('throttles a flood of bad keys from one address without a database lookup per request', async () => {
    const { sut, findActiveByKey, bearer } = setup();
    const answers = [];
    for (let i = 0; i < 100; i++) answers.push(await sut.authenticate(bearer(`lsk_bad_${i}`), '10.0.0.9'));
    expect(findActiveByKey).toHaveBeenCalledTimes(5);
    expect(answers.slice(0, 5).map((a) => !a.ok && a.refusal.status)).toEqual([401, 401, 401, 401, 401]);
    const throttled = answers[5];
    expect(!throttled.ok && throttled.refusal).toMatchObject({ status: 429, retryAfter: 1, body: { message: expect.stringContaining('INGEST_FAILED_AUTH_BURST=5') } });
    expect(answers.slice(5).every((a) => !a.ok && a.refusal.status === 429)).toBe(true);
  });

  it('throttles only the failing address: another client with a good key goes on', async () => {
    const { sut, bearer } = setup();
    for (let i = 0; i < 10; i++) await sut.authenticate(bearer(`lsk_bad_${i}`), '10.0.0.9');
    expect(await sut.authenticate(bearer(GOOD), '10.0.0.10')).toEqual({ ok: true, value: record });
  });

  it('remembers an unknown key briefly, so repeating it costs no lookup', async () => {
    const { sut, clock, findActiveByKey, bearer } = setup({ INGEST_FAILED_AUTH_BURST: '100' });
    for (let i = 0; i < 10; i++) await sut.authenticate(bearer('lsk_bad_same'), '10.0.0.9');
    expect(findActiveByKey).toHaveBeenCalledTimes(1);
    clock.ms += 61_000;
    await sut.authenticate(bearer('lsk_bad_same'), '10.0.0.9');
    expect(findActiveByKey).toHaveBeenCalledTimes(2);
  });

  it('counts a missing key and a missing scope as failures of the address', async () => {
    const { sut } = setup({ INGEST_FAILED_AUTH_BURST: '2' });
    expect(await sut.authenticate({}, '10.0.0.9')).toMatchObject({ ok: false, refusal: { status: 401 } });
    expect(sut.authorize({ ...record, scopes: ['read'] }, 'ingest', '10.0.0.9')).toMatchObject({ ok: false, refusal: { status: 403 } });
    expect(await sut.authenticate({}, '10.0.0.9')).toMatchObject({ ok: false, refusal: { status: 429 } });
  });

  it('applies the key\'s own rate limit after its scope', () => {
    const { sut } = setup();
    expect([0, 1, 2].map(() => sut.authorize(record, 'ingest', '10.0.0.9').ok)).toEqual([true, true, true]);
    expect(sut.authorize(record, 'ingest', '10.0.0.9')).toMatchObject({ ok: false, refusal: { status: 429, retryAfter: 1 } });
  });

  it('does not lock any key or address out when the wall clock steps back an hour', async () => {
    jest.useFakeTimers({ doNotFake: ['performance'], now: new Date('2026-11-30T12:00:00Z') });
    try {
      const { sut, clock, bearer } = setup();
      for (let i = 0; i < 3; i++) expect(sut.authorize(record, 'ingest', '10.0.0.9').ok).toBe(true);
      for (let i = 0; i < 5; i++) await sut.authenticate(bearer(`lsk_bad_${i}`), '10.0.0.9');
      jest.setSystemTime(new Date('2026-11-30T11:00:00Z'));
      clock.ms += 1_000;
      expect(sut.authorize(record, 'ingest', '10.0.0.9').ok).toBe(true);
      expect((await sut.authenticate(bearer(GOOD), '10.0.0.9')).ok).toBe(true);
    } finally {
      jest.useRealTimers();
    }
  });
});

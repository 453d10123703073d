import { join } from 'node:path';
import { Topics } from '@lead-sla/contracts';
import { eventsOf, leadCreatedData, makeEvent, readTopic, uniqueName, waitFor } from '@lead-sla/testing';
import { startLocalIssuer } from './local-oidc-issuer.fixture';
import { startTestPlatform, type TestPlatform } from './platform-harness';

type Seen = ReturnType<typeof eventsOf>[number];

const policyFile = join(__dirname, '../policies/identity-e2e.policy.yaml');
const ADMIN_KEY = 'identity-e2e-admin-key-0123456789abcdef0123456789';

describe('identity end to end: API keys and OIDC tokens on the real services', () => {
  let p: TestPlatform;
  let idp: Awaited<ReturnType<typeof startLocalIssuer>>;
  const keys: Record<'ingest' | 'read', string> = { ingest: '', read: '' };

  beforeAll(async () => {
    idp = await startLocalIssuer();
    p = await startTestPlatform(policyFile, { AUTH_MODE: 'enforce', AUTH_ISSUER: idp.issuer, AUTH_AUDIENCE: idp.audience, AUTH_PRINCIPAL_CLAIM: 'email', AUTH_API_KEY_CACHE_MS: '0', INGEST_ADMIN_KEY: ADMIN_KEY });
    for (const scope of ['ingest', 'read'] as const) {
      const res = await fetch(p.url('ingest', '/v1/api-keys'), { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': ADMIN_KEY }, body: JSON.stringify({ name: `e2e ${scope}`, scopes: [scope] }) });
      expect(res.status).toBe(201);
      keys[scope] = ((await res.json()) as { key: string }).key;
    }
  }, 240_000);
  afterAll(async () => {
    await p?.stop();
    await idp?.stop();
  });

  const as = {
    none: async (): Promise<Record<string, string>> => ({}),
    person: async (email: string) => ({ authorization: `Bearer ${await idp.sign(email)}` }),
    key: async (key: string) => ({ 'x-api-key': key }),
  };

  async function call(service: 'disposition' | 'routing' | 'reporting' | 'ingest', method: 'GET' | 'POST', path: string, headers: Record<string, string>, body?: unknown) {
    const res = await fetch(p.url(service, path), { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: res.status, body: (await res.json().catch(() => null)) as { message?: string; eventId?: string; commandEventId?: string; currentRepId?: string | null } | null };
  }

  async function eventOnLog(what: string, match: (e: Seen) => boolean, timeoutMs = 45_000): Promise<Seen> {
    const read = await readTopic(p.kafka, Topics.leadEvents, (ms) => eventsOf(ms).some(match), timeoutMs);
    const found = eventsOf(read).find(match);
    if (!found) throw new Error(`no ${what} on ${Topics.leadEvents} within ${timeoutMs} ms`);
    return found;
  }

  /** An emea lead, assigned, and known with its owner to reporting, routing and the disposition service. */
  async function ownedLead(): Promise<{ leadId: string; owner: string; other: string }> {
    const leadId = uniqueName('lead-identity');
    await p.publisher.publish([makeEvent('LeadCreated', leadId, leadCreatedData({ territory: 'emea', segment: 'smb', intentTier: 'warm', vip: false }))]);
    const assigned = await eventOnLog(`LeadAssigned for ${leadId}`, (e) => e.type === 'LeadAssigned' && e.leadId === leadId);
    const owner = assigned.data.repId as string;
    // Reporting decides who may read a lead from its own row: wait until that row has the owner, not only the lead.
    await waitFor(async () => (await call('reporting', 'GET', `/api/leads/${leadId}`, await as.key(keys.read))).body?.currentRepId === owner || undefined, `reporting to know ${owner} owns ${leadId}`);
    await waitFor(async () => (await call('routing', 'GET', `/api/leads/${leadId}/assignment-explanation`, await as.key(keys.read))).status === 200 || undefined, `routing to explain ${leadId}`);
    const other = ['ava', 'ben', 'cai'].find((r) => r !== owner)!;
    // The disposition service knows the owner once another rep's request is refused naming them (nothing is published on a refusal).
    await waitFor(async () => ((await call('disposition', 'POST', `/api/leads/${leadId}/accept`, await as.person(`${other}@example.test`), { repId: owner })).body?.message ?? '').includes(`only its owner "${owner}"`) || undefined, `disposition to know ${owner} owns ${leadId}`);
    return { leadId, owner, other };
  }

  describe('accept, reject, dispose: the owner, the owner\'s manager or an admin', () => {
    it('refuses without credentials (401), with a forged token (401), another rep (403) and another team\'s manager (403)', async () => {
      const { leadId, owner, other } = await ownedLead();
      for (const action of ['accept', 'reject', 'dispositions']) {
        const body = action === 'reject' ? { repId: owner, reasonCode: 'other', reason: 'not a fit' } : action === 'dispositions' ? { repId: owner, code: 'not_a_fit', reason: 'x' } : { repId: owner };
        expect((await call('disposition', 'POST', `/api/leads/${leadId}/${action}`, await as.none(), body)).status).toBe(401);
        expect((await call('disposition', 'POST', `/api/leads/${leadId}/${action}`, { authorization: `Bearer ${await idp.forged(`${owner}@example.test`)}` }, body)).status).toBe(401);
        const byOther = await call('disposition', 'POST', `/api/leads/${leadId}/${action}`, await as.person(`${other}@example.test`), body);
        expect(byOther.status).toBe(403);
        expect(byOther.body?.message).toContain(`only its owner "${owner}"`);
        expect((await call('disposition', 'POST', `/api/leads/${leadId}/${action}`, await as.person('mgr-amer@example.test'), body)).status).toBe(403);
        expect((await call('disposition', 'POST', `/api/leads/${leadId}/${action}`, await as.key(keys.ingest), body)).status).toBe(403);
      }
    });

    it('lets the owner\'s manager accept: the manager is the actor and the decider, whatever the body says', async () => {
      const { leadId, owner } = await ownedLead();
      const bodyWithActor = await call('disposition', 'POST', `/api/leads/${leadId}/accept`, await as.person('mgr-emea@example.test'), { repId: owner, actor: { kind: 'person', id: owner, role: 'rep' } });
      expect(bodyWithActor.status).toBe(400);
      const answer = await call('disposition', 'POST', `/api/leads/${leadId}/accept`, await as.person('mgr-emea@example.test'), { repId: owner });
      expect(answer.status).toBe(202);
      const event = await eventOnLog('LeadAccepted', (e) => e.type === 'LeadAccepted' && e.eventId === answer.body?.eventId);
      expect(event.data).toMatchObject({ repId: 'mgr-emea', actor: { kind: 'person', id: 'mgr-emea', role: 'manager' } });
      const verdict = await eventOnLog('SalDecisionRecorded', (e) => e.type === 'SalDecisionRecorded' && e.data.requestEventId === answer.body?.eventId);
      expect(verdict.data).toMatchObject({ decision: 'accepted', repId: 'mgr-emea', ownerRepId: owner });
    });

    it('lets a directory admin reject for the owner; another rep\'s reject is refused on the log (SalDecisionRefused) and changes nothing', async () => {
      const { leadId, owner, other } = await ownedLead();
      const byOther = await call('disposition', 'POST', `/api/leads/${leadId}/reject`, await as.person(`${other}@example.test`), { repId: owner, reasonCode: 'other', reason: 'not a fit' });
      expect(byOther.status).toBe(403);
      const refused = await eventOnLog('SalDecisionRefused', (e) => e.type === 'SalDecisionRefused' && e.data.requestEventId === byOther.body?.eventId);
      expect(refused.data).toMatchObject({ decision: 'rejected', repId: other, kind: 'forbidden' });
      const byAdmin = await call('disposition', 'POST', `/api/leads/${leadId}/reject`, await as.person('admin@example.test'), { reasonCode: 'other', reason: 'duplicate of an account' });
      expect(byAdmin.status).toBe(202);
      const verdict = await eventOnLog('SalDecisionRecorded', (e) => e.type === 'SalDecisionRecorded' && e.data.requestEventId === byAdmin.body?.eventId);
      expect(verdict.data).toMatchObject({ decision: 'rejected', repId: 'ops-admin', ownerRepId: owner, reasonCode: 'other' });
    });

    it('lets the owner reject with a token, and an admin key dispose; each is the actor', async () => {
      const { leadId, owner, other } = await ownedLead();
      const rejected = await call('disposition', 'POST', `/api/leads/${leadId}/reject`, { ...(await as.person(`${owner}@example.test`)), 'idempotency-key': 'reject-1' }, { reasonCode: 'other', reason: 'not a fit' });
      expect(rejected.status).toBe(202);
      // Someone else's Idempotency-Key is not theirs: no replay of the owner's answer, their own request is judged.
      // Judged after the owner's verdict is applied (the rejection recycles the lead, so it has no owner any more and
      // the answer is 409); before it, the same request is a 403 — which one a test sees would be a race.
      await eventOnLog('SalDecisionRecorded', (e) => e.type === 'SalDecisionRecorded' && e.data.requestEventId === rejected.body?.eventId);
      const replayed = await call('disposition', 'POST', `/api/leads/${leadId}/reject`, { ...(await as.person(`${other}@example.test`)), 'idempotency-key': 'reject-1' }, { reasonCode: 'other', reason: 'not a fit' });
      expect(replayed.status).toBe(409);
      expect(replayed.body?.eventId).not.toBe(rejected.body?.eventId);
      expect(JSON.stringify(replayed.body)).toContain('has no owner');
      expect((await eventOnLog('LeadRejected', (e) => e.type === 'LeadRejected' && e.eventId === rejected.body?.eventId)).data.actor).toEqual({ kind: 'person', id: owner, role: 'rep' });

      const second = await ownedLead();
      const disposed = await call('disposition', 'POST', `/api/leads/${second.leadId}/dispositions`, await as.key(ADMIN_KEY), { repId: second.owner, code: 'not_a_fit', reason: 'student', nextStep: 'long-term nurture' });
      expect(disposed.status).toBe(202);
      expect((await eventOnLog('LeadDispositioned', (e) => e.type === 'LeadDispositioned' && e.eventId === disposed.body?.eventId)).data.actor).toEqual({ kind: 'api_key', id: 'bootstrap-admin', role: 'admin' });
    });
  });

  describe('reinstate a rep: that rep\'s manager or an admin', () => {
    it('refuses without credentials, the rep and another manager; the manager\'s request names the manager, not the body\'s', async () => {
      expect((await call('routing', 'POST', '/api/reps/ava/reinstate', await as.none(), {})).status).toBe(401);
      expect((await call('routing', 'POST', '/api/reps/ava/reinstate', await as.person('ava@example.test'), {})).status).toBe(403);
      expect((await call('routing', 'POST', '/api/reps/ava/reinstate', await as.person('mgr-amer@example.test'), {})).status).toBe(403);
      expect((await call('routing', 'POST', '/api/reps/ava/reinstate', await as.key(keys.read), {})).status).toBe(403);
      const answer = await call('routing', 'POST', '/api/reps/ava/reinstate', await as.person('mgr-emea@example.test'), { managerId: 'mgr-amer', note: 'back' });
      expect(answer.status).toBe(202);
      const event = await eventOnLog('RepReinstated', (e) => e.type === 'RepReinstated' && e.eventId === answer.body?.commandEventId);
      expect(event.data).toMatchObject({ repId: 'ava', managerId: 'mgr-emea', actor: { kind: 'person', id: 'mgr-emea', role: 'manager' } });
      expect((await call('routing', 'POST', '/api/reps/ava/reinstate', await as.person('admin@example.test'), {})).status).toBe(202);
    });
  });

  describe('changing a rep\'s availability: the rep, their manager, an admin, or an ingest key', () => {
    it('refuses another rep and a read key, accepts the rep and their manager, and records each as the actor', async () => {
      const away = { status: 'unavailable', reason: 'dentist' };
      expect((await call('routing', 'POST', '/api/reps/cai/availability', await as.none(), away)).status).toBe(401);
      expect((await call('routing', 'POST', '/api/reps/cai/availability', await as.person('ava@example.test'), away)).status).toBe(403);
      expect((await call('routing', 'POST', '/api/reps/cai/availability', await as.person('mgr-amer@example.test'), away)).status).toBe(403);
      expect((await call('routing', 'POST', '/api/reps/cai/availability', await as.key(keys.read), away)).status).toBe(403);
      const byRep = await call('routing', 'POST', '/api/reps/cai/availability', await as.person('cai@example.test'), away);
      expect(byRep.status).toBe(202);
      expect((await eventOnLog('RepAvailabilityChanged', (e) => e.eventId === byRep.body?.eventId)).data).toMatchObject({ repId: 'cai', status: 'unavailable', actor: { kind: 'person', id: 'cai', role: 'rep' } });
      const byManager = await call('routing', 'POST', '/api/reps/cai/availability', await as.person('mgr-emea@example.test'), { status: 'available' });
      expect(byManager.status).toBe(202);
      expect((await eventOnLog('RepAvailabilityChanged', (e) => e.eventId === byManager.body?.eventId)).data.actor).toEqual({ kind: 'person', id: 'mgr-emea', role: 'manager' });
      const byKey = await call('ingest', 'POST', '/v1/reps/cai/availability', await as.key(keys.ingest), { data: { status: 'available' } });
      expect(byKey.status).toBe(202);
      expect((await eventOnLog('RepAvailabilityChanged', (e) => e.eventId === byKey.body?.eventId)).data.actor).toMatchObject({ kind: 'api_key', role: 'machine' });
    });
  });

  describe('reading: managers their teams, reps their own, admins and read keys everything', () => {
    it('answers each reader by the table', async () => {
      const { leadId, owner, other } = await ownedLead();
      const board = (query: string, headers: Record<string, string>) => call('reporting', 'GET', `/api/board${query}`, headers);
      expect((await board('', await as.none())).status).toBe(401);
      expect((await board('', await as.person('mgr-emea@example.test'))).status).toBe(403);
      expect((await board('?team=emea-sdr', await as.person('mgr-emea@example.test'))).status).toBe(200);
      expect((await board('?team=emea-sdr', await as.person('mgr-amer@example.test'))).status).toBe(403);
      expect((await board(`?rep=${owner}`, await as.person(`${owner}@example.test`))).status).toBe(200);
      expect((await board(`?rep=${owner}`, await as.person(`${other}@example.test`))).status).toBe(403);
      expect((await board('', await as.key(keys.read))).status).toBe(200);
      expect((await board('', await as.key(keys.ingest))).status).toBe(403);
      expect((await board('', await as.person('admin@example.test'))).status).toBe(200);
      expect((await board('', await as.person('stranger@example.test'))).status).toBe(403);

      const today = new Date().toISOString().slice(0, 10);
      const scorecards = (query: string, headers: Record<string, string>) => call('reporting', 'GET', `/api/scorecards?dimension=rep&from=${today}&to=${today}${query}`, headers);
      expect((await scorecards('&team=emea-sdr', await as.person('mgr-emea@example.test'))).status).toBe(200);
      expect((await scorecards('', await as.person(`${owner}@example.test`))).status).toBe(403);
      expect((await scorecards(`&rep=${owner}`, await as.person(`${owner}@example.test`))).status).toBe(200);

      expect((await call('reporting', 'GET', `/api/leads/${leadId}`, await as.person(`${owner}@example.test`))).status).toBe(200);
      expect((await call('reporting', 'GET', `/api/leads/${leadId}`, await as.person(`${other}@example.test`))).status).toBe(403);
      expect((await call('routing', 'GET', `/api/leads/${leadId}/assignment-explanation`, await as.person(`${owner}@example.test`))).status).toBe(200);
      expect((await call('routing', 'GET', `/api/leads/${leadId}/assignment-explanation`, await as.person(`${other}@example.test`))).status).toBe(403);
    });
  });

  describe('publishing external facts: machine keys with the ingest scope', () => {
    it('refuses a read key and a person, accepts an ingest key', async () => {
      const lead = { leadId: uniqueName('lead-ingested'), data: leadCreatedData() };
      expect((await call('ingest', 'POST', '/v1/leads', await as.none(), lead)).status).toBe(401);
      expect((await call('ingest', 'POST', '/v1/leads', await as.key(keys.read), lead)).status).toBe(403);
      expect((await call('ingest', 'POST', '/v1/leads', await as.person('admin@example.test'), lead)).status).toBe(401);
      expect((await call('ingest', 'POST', '/v1/leads', await as.key(keys.ingest), lead)).status).toBe(202);
    });
  });

  it('checks API keys on every service with an HTTP API, each logged in as its own Postgres role (identity.api_keys granted to every role)', async () => {
    const { leadId } = await ownedLead();
    const unknown = await as.key('lsk_not-a-key-0123456789abcdef');
    expect((await call('reporting', 'GET', `/api/leads/${leadId}`, await as.key(keys.read))).status).toBe(200);
    expect((await call('reporting', 'GET', `/api/leads/${leadId}`, unknown)).status).toBe(401);
    expect((await call('routing', 'GET', `/api/leads/${leadId}/assignment-explanation`, await as.key(keys.read))).status).toBe(200);
    expect((await call('routing', 'GET', `/api/leads/${leadId}/assignment-explanation`, unknown)).status).toBe(401);
    // The disposition service knows the key (so the table answers 403, not 401): an ingest key may not record a disposition.
    expect((await call('disposition', 'POST', `/api/leads/${leadId}/dispositions`, await as.key(keys.ingest), { repId: 'ava', code: 'not_a_fit', reason: 'x' })).status).toBe(403);
    expect((await call('disposition', 'POST', `/api/leads/${leadId}/dispositions`, unknown, { repId: 'ava', code: 'not_a_fit', reason: 'x' })).status).toBe(401);
    expect((await call('ingest', 'POST', '/v1/leads', unknown, { leadId: uniqueName('lead-unknown-key'), data: leadCreatedData() })).status).toBe(401);
  });

  it('keeps health and metrics public', async () => {
    for (const service of ['disposition', 'routing', 'reporting', 'ingest'] as const) {
      expect((await call(service, 'GET', '/health/live', {})).status).toBe(200);
    }
  });
});

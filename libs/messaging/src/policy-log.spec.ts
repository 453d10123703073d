import type { EventOf } from '@lead-sla/contracts';
import { parsePolicy, PolicyError, type Policy } from '@lead-sla/policy';
import type { Tx } from '@lead-sla/platform';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PolicyLog, policyPublishedCopies } from './policy-log';

const example = parsePolicy(readFileSync(join(__dirname, '../../../infra/policy/example.policy.yaml'), 'utf8'), 'example.policy.yaml');
const v2: Policy = { ...example, version: 'v2' };
const by = { kind: 'person', id: 'root', role: 'admin' } as const;
const copiesOf = (policy: Policy) => policyPublishedCopies({ policy, publishedBy: by, reason: 'why', publishedAt: new Date('2026-11-30T10:00:00.000Z') }, 3);

/** An in-memory stand-in for the two tables the log reads: the documents and the stored offsets' versions. */
function fakeTx(versions: Record<number, string | null> = {}) {
  const documents = new Map<string, unknown>();
  const tx: Tx = {
    query: async <R>(sql: string, params?: readonly unknown[]) => {
      if (sql.includes('FROM "svc".consumer_offsets')) return [{ policy_version: versions[params![2] as number] ?? null }] as R[];
      if (sql.includes('WHERE version = $1')) return (documents.has(params![0] as string) ? [{ version: params![0], document: documents.get(params![0] as string), published_at: new Date() }] : []) as R[];
      return [] as R[];
    },
    execute: async (_sql: string, params?: readonly unknown[]) => {
      if (!documents.has(params![0] as string)) documents.set(params![0] as string, JSON.parse(params![1] as string));
      return 1;
    },
  };
  return { tx, documents };
}

describe('policy copies', () => {
  it('are one per partition, keyless, with an id per (version, partition) that a re-publish reproduces', () => {
    const copies = copiesOf(v2);
    expect(copies.map((c) => c.partition)).toEqual([0, 1, 2]);
    expect(new Set(copies.map((c) => c.event.eventId)).size).toBe(3);
    expect(copiesOf(v2).map((c) => c.event.eventId)).toEqual(copies.map((c) => c.event.eventId));
    expect(copiesOf({ ...v2, version: 'v3' })[0].event.eventId).not.toBe(copies[0].event.eventId);
    expect(copies[1].event).toMatchObject({ type: 'PolicyPublished', leadId: null, data: { version: 'v2', partition: 1, partitionCount: 3, publishedBy: by, reason: 'why' } });
  });
});

describe('the policy in force on a partition', () => {
  it('is the bootstrap file before the partition\'s first copy, then the recorded version', async () => {
    const { tx } = fakeTx({ 0: null, 1: 'v2' });
    const log = new PolicyLog('svc', () => example);
    expect(await log.policyOf(tx, null)).toBe(example);
    await log.record(tx, copiesOf(v2)[1].event);
    expect((await log.inForce(tx, 'g', 't', 0)).version).toBeNull();
    expect(await log.inForce(tx, 'g', 't', 1)).toEqual({ version: 'v2', policy: v2 });
  });

  it('reads a version recorded before a restart from the documents table', async () => {
    const { tx } = fakeTx({ 2: 'v2' });
    await new PolicyLog('svc', () => example).record(tx, copiesOf(v2)[2].event);
    const restarted = new PolicyLog('svc', () => example);
    expect((await restarted.inForce(tx, 'g', 't', 2)).policy).toEqual(v2);
  });

  it('tells the newest version once, and names the missing document when the tables disagree', async () => {
    const { tx } = fakeTx();
    const seen: string[] = [];
    const log = new PolicyLog('svc', () => example, (p) => seen.push(p.version));
    for (const c of copiesOf(v2)) await log.record(tx, c.event);
    expect(seen).toEqual(['v2']);
    await expect(log.policyOf(tx, 'v9')).rejects.toThrow('policy version "v9" is in force in svc.consumer_offsets but missing from svc.policy_documents');
  });

  it('refuses a copy whose document does not validate, naming the path', async () => {
    const { tx } = fakeTx();
    const copy = copiesOf(v2)[0].event;
    const broken = { ...copy, data: { ...copy.data, document: { ...copy.data.document, routing: { ...v2.routing, defaultPool: 'nowhere' } } } } as EventOf<'PolicyPublished'>;
    await expect(new PolicyLog('svc', () => example).record(tx, broken)).rejects.toThrow(PolicyError);
    await expect(new PolicyLog('svc', () => example).record(tx, broken)).rejects.toThrow(/routing\.defaultPool: unknown pool "nowhere"/);
  });
});

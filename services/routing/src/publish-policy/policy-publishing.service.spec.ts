import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LeadEvent } from '@lead-sla/contracts';
import type { OutboxWriter } from '@lead-sla/messaging';
import { parsePolicy, type Policy } from '@lead-sla/policy';
import type { Logger, Tx } from '@lead-sla/platform';
import type { PolicyProvider } from '@lead-sla/service-runtime';
import type { RoutingStateRepository } from '../route-event/routing-state.repository';
import type { PolicyPublicationsRepository, PublishedVersion } from './policy-publications.repository';
import { PolicyPublishingService, PolicyVersionConflict } from './policy-publishing.service';
import { WhatIfEffectClient } from './what-if-effect.client';

jest.mock('@lead-sla/messaging', () => ({
  ...jest.requireActual('@lead-sla/messaging'),
  ensureTopics: jest.fn(async () => undefined),
  // The log has three partitions.
  logEnd: jest.fn(async () => new Map([[0, 0n], [1, 0n], [2, 0n]])),
}));

const file = parsePolicy(readFileSync(join(__dirname, '../route-event/routing-int.policy.yaml'), 'utf8'), 'routing-int.policy.yaml');
const admin = { kind: 'person', id: 'root', role: 'admin' } as const;

/** The publisher over in-memory publications and outbox: what it records and what it writes to which partition. */
function setup(published: PublishedVersion[] = []) {
  const written: Array<{ event: LeadEvent; partition: number }> = [];
  const publications = {
    lock: async () => undefined,
    newest: async () => published.at(-1) ?? null,
    byVersion: async (_tx: unknown, version: string) => published.find((p) => p.policy.version === version) ?? null,
    insert: async (_tx: unknown, v: PublishedVersion) => void published.push(v),
  } as unknown as PolicyPublicationsRepository;
  const outbox = {
    transaction: async <T>(work: (tx: Tx, emit: () => void, emitTo: (e: LeadEvent, p: number) => void) => Promise<T>) =>
      work({} as Tx, () => undefined, (event, partition) => written.push({ event, partition })),
  } as unknown as OutboxWriter;
  const logger = { debug: jest.fn(), info: jest.fn(), warn: jest.fn(), error: jest.fn() } as Logger;
  const watched: { changed: () => void; read: () => Policy } = { changed: () => undefined, read: () => file };
  const policies = {
    bootstrap: () => file,
    path: '/etc/lead-sla/policy.yaml',
    readFile: () => watched.read(),
    watch: (changed: () => void) => {
      watched.changed = changed;
      return () => undefined;
    },
  } as unknown as PolicyProvider;
  const sut = new PolicyPublishingService(
    { query: async () => [] } as never, {} as never, { now: () => new Date('2026-11-30T10:00:00.000Z') }, logger, outbox, policies, publications,
    { orphansOf: async () => ({ queuedLeadsOfRemovedPools: [], openLeadsOfRemovedReps: [] }) } as unknown as RoutingStateRepository,
    new WhatIfEffectClient({ url: undefined, adminToken: undefined, timeoutMs: 1000 }),
  );
  return { sut, written, published, logger, watched };
}

const next = (policy: Policy, version: string, edit: (p: Policy) => Policy = (p) => p): Policy => edit({ ...policy, version });

describe('publishing a policy version', () => {
  it('writes one copy to every partition and records the version, with the diff against the one it replaces', async () => {
    const { sut, written, published } = setup([{ policy: file, publishedAt: '2026-11-30T09:00:00.000Z', publishedBy: admin, reason: 'start', partitions: 3 }]);
    const v2 = next(file, 'routing-int-2', (p) => ({ ...p, routing: { ...p.routing, excludeRecentOwners: 1 } }));
    const outcome = await sut.publish(v2, admin, 'fewer recent owners excluded');
    expect(outcome).toMatchObject({ published: true, version: 'routing-int-2', partitions: 3, diff: { summary: 'settings: routing.excludeRecentOwners' } });
    expect(written.map((w) => [w.partition, w.event.type, (w.event.data as { version: string }).version])).toEqual([
      [0, 'PolicyPublished', 'routing-int-2'], [1, 'PolicyPublished', 'routing-int-2'], [2, 'PolicyPublished', 'routing-int-2'],
    ]);
    expect(published.at(-1)).toMatchObject({ publishedBy: admin, reason: 'fewer recent owners excluded', partitions: 3, publishedAt: '2026-11-30T10:00:00.000Z' });
  });

  it('publishes nothing for a document already published under its version, and says when it is not the newest', async () => {
    const v2 = next(file, 'routing-int-2');
    const { sut, written } = setup([
      { policy: file, publishedAt: '2026-11-30T09:00:00.000Z', publishedBy: admin, reason: 'start', partitions: 3 },
      { policy: v2, publishedAt: '2026-11-30T09:30:00.000Z', publishedBy: admin, reason: 'v2', partitions: 3 },
    ]);
    expect(await sut.publish(v2, admin, 'again')).toMatchObject({ published: false, newest: 'routing-int-2', reason: 'version "routing-int-2" is already the newest version: nothing to publish' });
    expect(await sut.publish(file, admin, 'back')).toMatchObject({ published: false, newest: 'routing-int-2', reason: expect.stringContaining('To go back to it, publish the document under a new version') });
    expect(written).toEqual([]);
  });

  it('refuses a changed document under a version already published', async () => {
    const { sut, written } = setup([{ policy: file, publishedAt: '2026-11-30T09:00:00.000Z', publishedBy: admin, reason: 'start', partitions: 3 }]);
    const changed = next(file, file.version, (p) => ({ ...p, routing: { ...p.routing, excludeRecentOwners: 1 } }));
    await expect(sut.publish(changed, admin, 'sneaky')).rejects.toThrow(PolicyVersionConflict);
    await expect(sut.publish(changed, admin, 'sneaky')).rejects.toThrow(`policy version "${file.version}" was already published with a different document; versions never change: give the new document a new \`version\``);
    expect(written).toEqual([]);
  });

  it('publishes the file at start when nothing is published, and not again when it is the newest version', async () => {
    const { sut, written, published } = setup();
    await sut.onApplicationBootstrap();
    sut.beforeApplicationShutdown();
    expect(published.map((p) => [p.policy.version, p.publishedBy, p.reason])).toEqual([[file.version, { kind: 'policy_file', id: '/etc/lead-sla/policy.yaml', role: 'machine' }, 'the policy file at start']]);
    await sut.onApplicationBootstrap();
    sut.beforeApplicationShutdown();
    expect(written).toHaveLength(3);
  });

  it('publishes the file again when it changes, and keeps the version in force when the changed file is invalid', async () => {
    const { sut, published, logger, watched } = setup();
    await sut.onApplicationBootstrap();
    watched.read = () => {
      throw new Error('invalid policy /etc/lead-sla/policy.yaml:\n  - routing.defaultPool: unknown pool "nowhere"');
    };
    watched.changed();
    await new Promise((r) => setImmediate(r));
    expect(logger.error).toHaveBeenCalledWith('the changed policy file is invalid; nothing published, the version in force stays', expect.objectContaining({ error: expect.stringContaining('routing.defaultPool') }));
    watched.read = () => next(file, 'routing-int-2');
    watched.changed();
    await new Promise((r) => setTimeout(r, 10));
    expect(published.map((p) => [p.policy.version, p.reason])).toEqual([[file.version, 'the policy file at start'], ['routing-int-2', 'the policy file changed']]);
    sut.beforeApplicationShutdown();
  });

  it('dry-runs against the newest version: the diff, a version conflict, what it would orphan', async () => {
    const { sut, written } = setup([{ policy: file, publishedAt: '2026-11-30T09:00:00.000Z', publishedBy: admin, reason: 'start', partitions: 3 }]);
    const changed = next(file, file.version, (p) => ({ ...p, routing: { ...p.routing, excludeRecentOwners: 1 } }));
    expect(await sut.dryRun(changed)).toMatchObject({ currentVersion: file.version, proposedVersion: file.version, versionConflict: 'different_document', diff: { summary: 'settings: routing.excludeRecentOwners' }, whatIf: { status: 'not_configured' } });
    expect(written).toEqual([]);
  });
});

import { z } from 'zod';
import { Actor, Id, Instant } from './common.schema';
import { deterministicId } from '../deterministic-id';

/**
 * A policy version was published (routing publishes it: the bootstrap file at
 * start when it differs from the newest version, the file on change or SIGHUP,
 * or an admin through `POST /v1/policies`). `leadId` is null and the event has
 * no key: one copy goes to EVERY partition of lead-events.v1, so the version is
 * a point in each partition's order and every service switches at that point.
 * `document` is the whole validated policy (the policy library's schema; the
 * contract keeps it opaque because contracts depend on nothing).
 */
/**
 * Who published a version: an actor as on every command (a person, an API
 * key, the demo user), or the policy file itself (`kind: policy_file`, `id`
 * its path, role `machine`) when routing publishes the bootstrap file.
 */
export const PolicyPublisher = z.union([
  Actor,
  z.object({ kind: z.literal('policy_file'), id: Id, role: z.literal('machine') }).strict(),
]);
export type PolicyPublisher = z.infer<typeof PolicyPublisher>;

export const PolicyPublishedV1 = z
  .object({
    version: z.string().min(1).max(200),
    document: z.record(z.string(), z.unknown()),
    publishedBy: PolicyPublisher,
    reason: z.string().min(1).max(2000),
    publishedAt: Instant,
    /** The partition this copy was written to, and how many copies there are (one per partition). */
    partition: z.number().int().nonnegative(),
    partitionCount: z.number().int().positive(),
  })
  .strict()
  .superRefine((d, ctx) => {
    if (d.document.version !== d.version) {
      ctx.addIssue({ code: 'custom', path: ['document', 'version'], message: `the document's version "${String(d.document.version)}" differs from the published version "${d.version}"` });
    }
    if (d.partition >= d.partitionCount) {
      ctx.addIssue({ code: 'custom', path: ['partition'], message: `partition ${d.partition} is not below partitionCount ${d.partitionCount}` });
    }
  });
export type PolicyPublishedData = z.infer<typeof PolicyPublishedV1>;

/**
 * The id of one copy: deterministic per (version, partition), so the copies
 * of one version are distinct events while a re-publish of the same copy is
 * recognised as a resend and applied once.
 */
export function policyPublishedEventId(version: string, partition: number): string {
  return deterministicId('PolicyPublished', version, String(partition));
}

/** One PolicyPublished per partition of lead-events.v1: the events and where each goes. */
export interface PolicyCopy<E> {
  readonly partition: number;
  readonly event: E;
}

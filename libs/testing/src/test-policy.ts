import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Topics } from '@lead-sla/contracts';
import { ensureTopics, EventPublisher, logEnd, platformTopics, policyPublishedCopies, type KafkaClient } from '@lead-sla/messaging';
import { parsePolicy } from '@lead-sla/policy';
import { uniqueName } from './test-infrastructure';

export interface TestPolicy {
  /** The version this spec published: a name no other spec uses. */
  readonly version: string;
  /** The same document as a file, for a service's POLICY_FILE (its bootstrap). */
  readonly file: string;
}

/**
 * Publishes a policy file on the shared test log under a version of the spec's own, one copy per partition, as
 * routing would. The policy in force is the one on the log (docs/policy.md), and the int and e2e specs share one
 * broker: without this, a consumer decides under whichever version another spec's platform published last. A fresh
 * version (not the file's) matters because a copy's event id is derived from its version, and consumers apply each
 * event id once — re-publishing an old version would be ignored.
 */
export async function publishTestPolicy(kafka: KafkaClient, sourceFile: string, prefix: string, edit: (yaml: string) => string = (y) => y): Promise<TestPolicy> {
  const version = uniqueName(prefix);
  const original = edit(readFileSync(sourceFile, 'utf8'));
  if (!/^version: .*$/m.test(original)) throw new Error(`${sourceFile} has no top-level "version:" line to replace`);
  const yaml = original.replace(/^version: .*$/m, `version: "${version}"`);
  const file = join(mkdtempSync(join(tmpdir(), `${prefix}-`)), basename(sourceFile));
  writeFileSync(file, yaml);
  const policy = parsePolicy(yaml, basename(sourceFile));
  // The services create the topics at start; a spec may publish before any has started.
  await ensureTopics(kafka, platformTopics(Number(process.env.LEAD_EVENTS_PARTITIONS ?? 3)));
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  try {
    const partitions = (await logEnd(kafka, Topics.leadEvents)).size;
    await publisher.publishAt(policyPublishedCopies({ policy, publishedBy: { kind: 'person', id: 'ops', role: 'admin' }, reason: `the ${prefix} test's policy`, publishedAt: new Date() }, partitions));
  } finally {
    await publisher.disconnect();
  }
  return { version, file };
}

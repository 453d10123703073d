import { join } from 'node:path';
import { Topics, type LeadEvent } from '@lead-sla/contracts';
import { ensureTopics, EventPublisher, logEnd, platformTopics } from '@lead-sla/messaging';
import { leadCreatedData, makeEvent, publishTestPolicy, testKafka, uniqueName } from '@lead-sla/testing';
import { isPolicyPublication, PolicyHistory } from '../engine/policy-history';
import { monthPolicy } from '../testing/month.fixture';
import { readRecordedLog } from './recorded-log';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The what-if reader on the shared lead-events.v1: a policy publication
 * (one copy per partition, as routing writes it) reaches the replay among
 * the facts, at its position between the facts recorded before and after
 * it, so the baseline switches versions where the services did.
 */
describe('reading lead-events.v1 for a what-if (real Kafka)', () => {
  it('hands the policy publications to the replay with the facts, in recorded order', async () => {
    const kafka = testKafka();
    // The services create the topics at start; none may have run yet.
    await ensureTopics(kafka, platformTopics(Number(process.env.LEAD_EVENTS_PARTITIONS ?? 3)));
    const before = uniqueName('what-if-log-before');
    const after = uniqueName('what-if-log-after');
    const publisher = new EventPublisher(kafka);
    await publisher.connect();
    let version: string;
    try {
      await publisher.publish([makeEvent('LeadCreated', before, leadCreatedData())]);
      await sleep(20);
      ({ version } = await publishTestPolicy(kafka, join(__dirname, '../../policies/month-baseline.policy.yaml'), 'what-if-log'));
      await sleep(20);
      await publisher.publish([makeEvent('LeadCreated', after, leadCreatedData())]);
    } finally {
      await publisher.disconnect();
    }
    const partitions = (await logEnd(kafka, Topics.leadEvents)).size;

    const log = await readRecordedLog(kafka, Date.now() + 60_000, () => undefined);
    try {
      const facts: LeadEvent[] = [];
      for await (const e of log.facts.events()) facts.push(e);
      const mine = facts.filter((e) => e.leadId === before || e.leadId === after || (isPolicyPublication(e) && e.data.version === version));
      expect(mine.map((e) => (isPolicyPublication(e) ? `PolicyPublished, partition ${e.data.partition}` : e.leadId))).toEqual([
        before,
        ...Array.from({ length: partitions }, (_, p) => `PolicyPublished, partition ${p}`),
        after,
      ]);
      // Followed through the whole log, the publications leave this spec's version in force (it is the newest).
      const history = new PolicyHistory(monthPolicy('month-baseline'));
      for (const e of facts) if (isPolicyPublication(e)) history.apply(e);
      expect(history.current.version).toBe(version);
      const decisions: LeadEvent[] = [];
      for await (const e of log.decisions.events()) decisions.push(e);
      expect(decisions.filter((e) => e.type === 'PolicyPublished')).toEqual([]);
    } finally {
      log.dispose();
    }
  });
});

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { partitionKeyOf, Topics } from '@lead-sla/contracts';
import { produceOnce } from '@lead-sla/messaging';
import { runMigrations, startTelemetry, stopTelemetry } from '@lead-sla/platform';
import { dataSourceFor, loadRuntimeConfig, serviceApplication } from '@lead-sla/service-runtime';
import { makeEvent, publishTestPolicy, readTopic, testKafka, uniqueName, waitFor } from '@lead-sla/testing';
import { TimerModule, timerService } from '../timer.module';

/**
 * One trace per lead journey, through the timer: the timer runs in this
 * process with an in-memory span exporter, is fed a LeadAssigned as routing
 * emits it (with its trace in the headers), and its first-touch deadline
 * (12 s on an always-on calendar) fires a SlaBreached whose span belongs to
 * the LeadAssigned's trace, as a child of the span that scheduled it.
 */
describe('a deadline fired by the timer continues the trace of the event that scheduled it', () => {
  const exporter = new InMemorySpanExporter();
  let app: INestApplication;
  let policyVersion = '';

  beforeAll(async () => {
    startTelemetry('timer', { spanProcessors: [new SimpleSpanProcessor(exporter)] });
    // The 12 s clock must be the policy in force on the shared log, not another spec's version.
    const policy = await publishTestPolicy(testKafka(), join(__dirname, '../testing/timer-int.policy.yaml'), 'timer-trace');
    policyVersion = policy.version;
    Object.assign(process.env, { POLICY_FILE: policy.file, LOG_LEVEL: 'warn' });
    const dataSource = dataSourceFor(timerService, loadRuntimeConfig());
    await runMigrations(dataSource, 'timer');
    await dataSource.destroy();
    app = await NestFactory.create(await serviceApplication(timerService, TimerModule), { logger: false });
    await app.init();
  }, 90_000);
  afterAll(async () => {
    await app?.close();
    await stopTelemetry();
  });

  const spanOf = (name: string, leadId: string) => (s: ReadableSpan) => s.name === name && s.attributes['lead.id'] === leadId;

  it('records the SlaBreached fire span in the LeadAssigned trace, and publishes the breach with it', async () => {
    const leadId = uniqueName('lead-traced');
    const traceId = randomBytes(16).toString('hex');
    const assigned = makeEvent('LeadAssigned', leadId, {
      repId: 'ava', teamId: 'emea-sdr', poolId: 'emea', ruleId: 'emea', reason: 'rule', reassignment: false, previousRepId: null,
      reassignmentCause: null, skipped: [], managerId: 'mgr-emea', policyVersion,
    });
    // As routing's relay publishes it: the trace of the span routing decided the assignment in.
    await produceOnce(testKafka(), Topics.leadEvents, [{ key: partitionKeyOf(assigned), value: JSON.stringify(assigned), headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` } }]);

    const fired = await waitFor(() => exporter.getFinishedSpans().find(spanOf('timer fire SlaBreached', leadId)), 'the timer to fire the first-touch breach', 90_000);
    const scheduled = exporter.getFinishedSpans().find(spanOf('lead-sla.timer decide LeadAssigned', leadId));
    expect(scheduled?.spanContext().traceId).toBe(traceId);
    expect(fired.spanContext().traceId).toBe(traceId);
    expect(fired.parentSpanContext?.spanId).toBe(scheduled?.spanContext().spanId);

    // Downstream services continue from the fire span: it is the breach's parent on the wire.
    const [breach] = await readTopic(testKafka(), Topics.leadEvents, (ms) => ms.some((m) => m.key === leadId && m.headers['event-type'] === 'SlaBreached'), 30_000).then((ms) =>
      ms.filter((m) => m.key === leadId && m.headers['event-type'] === 'SlaBreached'),
    );
    expect(breach.headers.traceparent.split('-').slice(1, 3)).toEqual([traceId, fired.spanContext().spanId]);
  }, 150_000);
});

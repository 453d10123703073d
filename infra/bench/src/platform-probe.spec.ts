import { ServiceMetrics, timingBatches } from '@lead-sla/service-runtime';
import { histogramOf } from './platform-probe';

describe('the bench reads the services\' batch timings from their histograms', () => {
  it('sums each histogram over its labels and finds the bucket holding a quantile', async () => {
    const metrics = new ServiceMetrics('routing', { defaultMetrics: false });
    const timing = timingBatches(metrics);
    // 98 quick batches on two partitions, one slow and one very slow: p50 in the 10 ms bucket, p99 in the 1 s bucket.
    for (let i = 0; i < 98; i++) timing.onBatchApplied({ topic: 'lead-events.v1', partition: i % 2, messages: 20, seconds: 0.008 });
    timing.onBatchApplied({ topic: 'lead-events.v1', partition: 0, messages: 400, seconds: 0.7 });
    timing.onBatchApplied({ topic: 'lead-events.v1', partition: 1, messages: 400, seconds: 30 });
    timing.onPublished({ rows: 12, seconds: 0.02 });
    const { body } = await metrics.render();

    const batches = histogramOf(body, 'lead_sla_consumer_batch_duration_seconds')!;
    expect(batches.count).toBe(100);
    expect(batches.sum).toBeCloseTo(98 * 0.008 + 0.7 + 30, 6);
    expect([batches.quantileBound(0.5), batches.quantileBound(0.99), batches.quantileBound(1)]).toEqual([0.01, 1, Infinity]);
    expect(histogramOf(body, 'lead_sla_consumer_batch_messages')!.sum).toBe(98 * 20 + 800);
    expect(histogramOf(body, 'lead_sla_outbox_publish_duration_seconds')!.quantileBound(0.5)).toBe(0.02);
    expect(histogramOf(body, 'lead_sla_no_such_histogram')).toBeNull();
  });
});

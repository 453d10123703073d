import { createLogger } from '@lead-sla/platform';
import { countingDeadLetters, countingWrongPartitions } from './messaging-metrics';
import { ServiceMetrics } from './service-metrics';

describe('wrong-partition metrics', () => {
  it('counts each misplaced message by topic and partition, and as a dead letter with reason wrong_partition', async () => {
    const metrics = new ServiceMetrics('routing', { defaultMetrics: false });
    const onWrongPartition = countingWrongPartitions(metrics);
    onWrongPartition({ topic: 'lead-events.v1', partition: 2 });
    onWrongPartition({ topic: 'lead-events.v1', partition: 2 });
    countingDeadLetters(createLogger('metrics-test', 'error'), metrics).warn('dead-lettered a message on the wrong partition for its key', {});
    const { body } = await metrics.render();
    expect(body).toContain('lead_sla_wrong_partition_total{messaging_destination_name="lead-events.v1",messaging_destination_partition_id="2",service="routing"} 2');
    expect(body).toContain('lead_sla_dead_letters_total{reason="wrong_partition",service="routing"} 1');
    expect(body).not.toContain('reason="handler_failed"');
  });
});

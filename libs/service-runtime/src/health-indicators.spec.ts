import { HealthIndicatorService } from '@nestjs/terminus';
import { consumerVerdict, eventLoopVerdict, outboxVerdict } from './health-indicators';

const indicators = new HealthIndicatorService();

describe('health indicators', () => {
  it('find the consumer down when it stopped, up when it runs, and up for a service without one', () => {
    expect(consumerVerdict(indicators, false)).toEqual({ consumer: { status: 'down', message: 'the lead-events consumer is not running (it restarts itself; see the log)' } });
    expect(consumerVerdict(indicators, true)).toEqual({ consumer: { status: 'up' } });
    expect(consumerVerdict(indicators, null)).toEqual({ consumer: { status: 'up', consuming: 'nothing (no event handler)' } });
  });

  it('find the outbox relay down when its oldest row waits longer than the threshold', () => {
    expect(outboxVerdict(indicators, 60_000, 60_000)).toEqual({ outbox: { status: 'up', oldestPendingMs: 60_000 } });
    expect(outboxVerdict(indicators, 60_001, 60_000)).toEqual({
      outbox: { status: 'down', oldestPendingMs: 60_001, message: expect.stringContaining('over HEALTH_OUTBOX_MAX_AGE_MS=60000: the relay is stuck') },
    });
  });

  it('find the event loop down when it stalls longer than the threshold', () => {
    expect(eventLoopVerdict(indicators, 12, 5000)).toEqual({ event_loop: { status: 'up', p99DelayMs: 12 } });
    expect(eventLoopVerdict(indicators, 7000, 5000)).toEqual({ event_loop: { status: 'down', p99DelayMs: 7000, message: expect.stringContaining('stalls 7000 ms') } });
  });
});

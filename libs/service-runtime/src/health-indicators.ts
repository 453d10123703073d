import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import type { DataSource } from 'typeorm';
import { withKafkaAdmin, type KafkaClient } from '@lead-sla/messaging';
import { MessagingLifecycle } from './messaging-lifecycle';
import type { RuntimeConfig } from './runtime-config';
import { DATA_SOURCE, KAFKA, RUNTIME_CONFIG } from './tokens';

/** What one probe may take before it counts as down: a probe that hangs must not hang the readiness answer. */
const PROBE_TIMEOUT_MS = 2000;

async function withinTimeout<T>(probe: () => Promise<T>, timeoutMs = PROBE_TIMEOUT_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([probe(), new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The verdicts behind /health/live and /health/ready (@nestjs/terminus
 * indicators). Each is named by the part it checks; a failing one says what
 * is wrong and where to look.
 */
@Injectable()
export class RuntimeHealthIndicators implements OnModuleDestroy {
  private readonly loopDelay: IntervalHistogram;

  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(KAFKA) private readonly kafka: KafkaClient,
    @Inject(MessagingLifecycle) private readonly messaging: MessagingLifecycle,
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
  ) {
    this.loopDelay = monitorEventLoopDelay({ resolution: 20 });
    this.loopDelay.enable();
  }

  onModuleDestroy(): void {
    this.loopDelay.disable();
  }

  /** Liveness: the event loop turns without long stalls (the 99th percentile delay since the previous probe). */
  eventLoop(): HealthIndicatorResult<'event_loop'> {
    const p99Ms = Math.round(this.loopDelay.percentile(99) / 1e6);
    this.loopDelay.reset();
    return eventLoopVerdict(this.indicators, p99Ms, this.config.HEALTH_EVENT_LOOP_MAX_DELAY_MS);
  }

  async postgres(): Promise<HealthIndicatorResult<'postgres'>> {
    const check = this.indicators.check('postgres');
    try {
      await withinTimeout(() => this.dataSource.query('SELECT 1'));
      return check.up();
    } catch (error) {
      return check.down({ message: `Postgres does not answer: ${(error as Error).message} (check DATABASE_URL and the database)` });
    }
  }

  /** Kafka through the messaging port (only libs/messaging talks to a Kafka client). */
  async kafkaBrokers(): Promise<HealthIndicatorResult<'kafka'>> {
    const check = this.indicators.check('kafka');
    try {
      const { brokers } = await withinTimeout(() => withKafkaAdmin(this.kafka, (admin) => admin.ping()));
      return check.up({ brokers });
    } catch (error) {
      return check.down({ message: `Kafka does not answer: ${(error as Error).message} (check KAFKA_BROKERS and the brokers)` });
    }
  }

  consumer(): HealthIndicatorResult<'consumer'> {
    return consumerVerdict(this.indicators, this.messaging.consumerRunning());
  }

  async outbox(): Promise<HealthIndicatorResult<'outbox'>> {
    const check = this.indicators.check('outbox');
    try {
      return outboxVerdict(this.indicators, await withinTimeout(() => this.messaging.relay.oldestPendingAgeMs()), this.config.HEALTH_OUTBOX_MAX_AGE_MS);
    } catch (error) {
      return check.down({ message: `could not read the outbox: ${(error as Error).message}` });
    }
  }
}

export function eventLoopVerdict(indicators: HealthIndicatorService, p99Ms: number, maxMs: number): HealthIndicatorResult<'event_loop'> {
  const check = indicators.check('event_loop');
  if (p99Ms > maxMs) {
    return check.down({ p99DelayMs: p99Ms, message: `the event loop stalls ${p99Ms} ms (99th percentile), over HEALTH_EVENT_LOOP_MAX_DELAY_MS=${maxMs}: something blocks the process (see the log and CPU)` });
  }
  return check.up({ p99DelayMs: p99Ms });
}

/** null: the service has no consumer (ingest), which is not a fault. */
export function consumerVerdict(indicators: HealthIndicatorService, running: boolean | null): HealthIndicatorResult<'consumer'> {
  const check = indicators.check('consumer');
  if (running === null) return check.up({ consuming: 'nothing (no event handler)' });
  // A service whose consumer stopped would otherwise answer "ready" while applying nothing.
  return running ? check.up() : check.down({ message: 'the lead-events consumer is not running (it restarts itself; see the log)' });
}

export function outboxVerdict(indicators: HealthIndicatorService, oldestAgeMs: number, maxAgeMs: number): HealthIndicatorResult<'outbox'> {
  const check = indicators.check('outbox');
  if (oldestAgeMs > maxAgeMs) {
    return check.down({
      oldestPendingMs: oldestAgeMs,
      message: `the oldest unpublished outbox row waits ${oldestAgeMs} ms, over HEALTH_OUTBOX_MAX_AGE_MS=${maxAgeMs}: the relay is stuck or Kafka refuses it (see the log)`,
    });
  }
  return check.up({ oldestPendingMs: oldestAgeMs });
}

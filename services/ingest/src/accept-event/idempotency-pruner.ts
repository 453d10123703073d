import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Clock, Logger } from '@lead-sla/platform';
import { CLOCK, LOGGER } from '@lead-sla/service-runtime';
import { AcceptedEventsRepository } from './accepted-events.repository';
import { INGEST_CONFIG, type IngestConfig } from '../ingest-config';

const EVERY_MS = 60 * 60 * 1000;

/**
 * Forgets idempotency records older than INGEST_IDEMPOTENCY_RETENTION_HOURS,
 * so the table does not grow forever. A retry after that still publishes
 * nothing when its event id is derived from the key: accepted_events keeps
 * every accepted id (the answer is then 200 "duplicate").
 */
@Injectable()
export class IdempotencyPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly events: AcceptedEventsRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.prune();
    this.timer = setInterval(() => void this.prune(), EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async prune(): Promise<number> {
    const before = new Date(this.clock.now().getTime() - this.config.INGEST_IDEMPOTENCY_RETENTION_HOURS * 3600_000);
    try {
      const removed = await this.events.pruneIdempotencyKeys(before);
      if (removed > 0) this.logger.info('pruned idempotency records', { removed });
      return removed;
    } catch (error) {
      this.logger.warn('pruning idempotency records failed; will retry', { error: (error as Error).message });
      return 0;
    }
  }
}

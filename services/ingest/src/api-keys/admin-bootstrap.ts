import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from '@lead-sla/platform';
import { LOGGER } from '@lead-sla/service-runtime';
import { INGEST_CONFIG, type IngestConfig } from '../ingest-config';
import { ApiKeyRepository } from './api-key.repository';

/** With INGEST_ADMIN_KEY set, that key (hashed) is an admin key from start-up: the way to create the first keys. */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  constructor(
    private readonly keys: ApiKeyRepository,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.INGEST_ADMIN_KEY) return;
    await this.keys.upsertBootstrapAdmin(this.config.INGEST_ADMIN_KEY);
    this.logger.info('bootstrap admin key installed from INGEST_ADMIN_KEY', { apiKeyId: 'bootstrap-admin' });
  }
}

import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from '@lead-sla/platform';
import { LOGGER } from '@lead-sla/service-runtime';
import { INGEST_CONFIG, type IngestConfig } from '../ingest-config';
import { ApiKeyRepository } from './api-key.repository';

/**
 * With INGEST_ADMIN_KEY set, that key (hashed) becomes admin key
 * `bootstrap-admin` on the first start: the way to create the first keys.
 * Created once: a later start never re-activates it after revocation nor
 * swaps in another value, so a leaked or forgotten variable cannot bring
 * an admin key back.
 */
@Injectable()
export class AdminBootstrap implements OnApplicationBootstrap {
  constructor(
    private readonly keys: ApiKeyRepository,
    @Inject(INGEST_CONFIG) private readonly config: IngestConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.INGEST_ADMIN_KEY) return;
    const found = await this.keys.createBootstrapAdminOnce(this.config.INGEST_ADMIN_KEY);
    if (found === 'created') this.logger.info('bootstrap admin key installed from INGEST_ADMIN_KEY', { apiKeyId: 'bootstrap-admin' });
    else if (found === 'revoked') this.logger.warn('INGEST_ADMIN_KEY is ignored: the bootstrap admin key was revoked and is never re-activated; unset the variable', { apiKeyId: 'bootstrap-admin' });
    else if (found === 'different-key') {
      this.logger.warn('INGEST_ADMIN_KEY is ignored: a bootstrap admin key was installed before from another value (or the value is another key); create admin keys with POST /v1/api-keys and unset the variable', { apiKeyId: 'bootstrap-admin' });
    }
  }
}

import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import type { Logger } from '@lead-sla/platform';
import { databaseSsl, LOGGER, RUNTIME_CONFIG, type RuntimeConfig } from '@lead-sla/service-runtime';
import { BOARD_CHANNEL } from '../project-events/projection-store.repository';

export type BoardNotice = { readonly leadIds: readonly string[] } | { readonly reload: true };

/**
 * Listens for the board changes the projection announces with NOTIFY at
 * commit, so every instance's SSE clients hear about every partition's
 * changes, whichever instance applied them.
 */
@Injectable()
export class BoardNotices implements OnModuleInit, OnApplicationShutdown {
  private client: Client | null = null;
  private readonly listeners = new Set<(n: BoardNotice) => void>();
  private stopped = false;

  constructor(
    @Inject(RUNTIME_CONFIG) private readonly config: RuntimeConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.DATABASE_URL, ssl: databaseSsl(this.config, (f) => readFileSync(f, 'utf8')), application_name: 'lead-sla-reporting-board' });
    client.on('notification', (msg) => {
      if (msg.channel !== BOARD_CHANNEL || !msg.payload) return;
      try {
        const notice = JSON.parse(msg.payload) as BoardNotice;
        for (const l of this.listeners) l(notice);
      } catch (error) {
        this.logger.warn('ignored a malformed board notice', { error: String(error) });
      }
    });
    client.on('error', (error) => {
      this.logger.warn('board listener connection lost; reconnecting', { error: error.message });
      this.client = null;
      if (!this.stopped) setTimeout(() => void this.connect().catch(() => undefined), 1000);
      for (const l of this.listeners) l({ reload: true });
    });
    await client.connect();
    await client.query(`LISTEN ${BOARD_CHANNEL}`);
    this.client = client;
  }

  subscribe(listener: (n: BoardNotice) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.client?.end().catch(() => undefined);
  }
}

import { Public } from '@lead-sla/auth';
import { Controller, Get, HttpCode, HttpException, Inject } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { withKafkaAdmin, type KafkaClient } from '@lead-sla/messaging';
import { MessagingLifecycle } from './messaging-lifecycle';
import { DATA_SOURCE, KAFKA } from './tokens';

async function check(name: string, probe: () => Promise<unknown>, timeoutMs = 2000): Promise<{ name: string; ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs))),
    ]);
    return { name, ok: true };
  } catch (error) {
    return { name, ok: false, error: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** Liveness (the process answers) and readiness (Postgres and Kafka answer, the consumer consumes). */
@Controller('health')
@Public('probes: liveness and readiness say nothing about leads or people')
export class HealthController {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(KAFKA) private readonly kafka: KafkaClient,
    @Inject(MessagingLifecycle) private readonly messaging: MessagingLifecycle,
  ) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @HttpCode(200)
  async ready() {
    const checks = await Promise.all([
      check('postgres', () => this.dataSource.query('SELECT 1')),
      check('kafka', () => withKafkaAdmin(this.kafka, (admin) => admin.ping())),
      check('consumer', async () => {
        // A service whose consumer stopped would otherwise answer "ready" while applying nothing.
        if (this.messaging.consumerRunning() === false) throw new Error('the lead-events consumer is not running (it restarts itself; see the log)');
      }),
    ]);
    const body = { status: checks.every((c) => c.ok) ? 'ready' : 'not ready', checks };
    if (body.status !== 'ready') throw new HttpException(body, 503);
    return body;
  }
}

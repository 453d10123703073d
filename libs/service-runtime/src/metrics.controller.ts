import { Public } from '@lead-sla/auth';
import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ServiceMetrics } from './service-metrics';

/** Prometheus scrape endpoint (text exposition format). */
@Controller('metrics')
@Public('the Prometheus scrape: counters and timings, no lead or person data')
export class MetricsController {
  constructor(@Inject(ServiceMetrics) private readonly metrics: ServiceMetrics) {}

  @Get()
  async scrape(@Res() res: { setHeader(name: string, value: string): void; send(body: string): void }): Promise<void> {
    const { contentType, body } = await this.metrics.render();
    res.setHeader('Content-Type', contentType);
    res.send(body);
  }
}

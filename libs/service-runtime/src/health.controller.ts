import { Public } from '@lead-sla/auth';
import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { RuntimeHealthIndicators } from './health-indicators';

/**
 * Liveness (the process and its event loop) and readiness (Postgres and Kafka
 * answer, the consumer consumes, the outbox relay keeps up), answered by
 * @nestjs/terminus: 200 with each indicator's status, or 503 naming the
 * failing indicator under "error" with what is wrong.
 */
@Controller('health')
@Public('probes: liveness and readiness say nothing about leads or people')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(RuntimeHealthIndicators) private readonly indicators: RuntimeHealthIndicators,
  ) {}

  // No Swagger annotations of terminus's own: the services' OpenAPI documents are generated and checked elsewhere.
  @HealthCheck({ swaggerDocumentation: false })
  @Get('live')
  live() {
    return this.health.check([() => this.indicators.eventLoop()]);
  }

  @HealthCheck({ swaggerDocumentation: false })
  @Get('ready')
  ready() {
    return this.health.check([
      () => this.indicators.postgres(),
      () => this.indicators.kafkaBrokers(),
      () => this.indicators.consumer(),
      () => this.indicators.outbox(),
    ]);
  }
}

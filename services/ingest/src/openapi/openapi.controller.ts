import { Controller, Get } from '@nestjs/common';
import { Public } from '@lead-sla/auth';
import { ingestOpenApiDocument } from './ingest-openapi.document';

@Controller()
export class OpenApiController {
  private readonly document = ingestOpenApiDocument();

  @Get('openapi.json')
  @Public('the API description: no lead or person data')
  openapi() {
    return this.document;
  }
}

import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags, type OpenAPIObject } from '@nestjs/swagger';
import { Public } from '@lead-sla/auth';
import { OPENAPI_DOCUMENT } from '@lead-sla/service-runtime';

@Controller()
@ApiTags('operations')
export class OpenApiController {
  constructor(@Inject(OPENAPI_DOCUMENT) private readonly document: OpenAPIObject) {}

  @Get('openapi.json')
  @Public('the API description: no lead or person data')
  @ApiOperation({ summary: 'This document (OpenAPI 3.1, generated from the controllers)' })
  openapi() {
    return this.document;
  }
}

import { Controller, Get, Inject, type Type } from '@nestjs/common';
import { ApiOperation, ApiTags, type OpenAPIObject } from '@nestjs/swagger';
import { Public } from '@lead-sla/auth';
import { OPENAPI_DOCUMENT } from './openapi-document';

/** The controller serving a service's generated document at `<prefix>/openapi.json` (reporting keeps its API under `api/`). */
export function openApiController(prefix = ''): Type<unknown> {
  @Controller(prefix)
  @ApiTags('operations')
  class OpenApiController {
    constructor(@Inject(OPENAPI_DOCUMENT) private readonly document: OpenAPIObject) {}

    @Get('openapi.json')
    @Public('the API description: no lead or person data')
    @ApiOperation({ summary: 'This document (OpenAPI 3.1, generated from the controllers)' })
    openapi() {
      return this.document;
    }
  }
  return OpenApiController;
}

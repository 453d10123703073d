import { Controller, Get } from '@nestjs/common';
import { reportingOpenApi } from './reporting-openapi.document';

@Controller('api')
export class OpenApiController {
  @Get('openapi.json')
  document() {
    return reportingOpenApi;
  }
}

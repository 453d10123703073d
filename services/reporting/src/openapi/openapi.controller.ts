import { Controller, Get } from '@nestjs/common';
import { Public } from '@lead-sla/auth';
import { reportingOpenApi } from './reporting-openapi.document';

@Controller('api')
export class OpenApiController {
  @Get('openapi.json')
  @Public('the API description: no lead or person data')
  document() {
    return reportingOpenApi;
  }
}

import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '@lead-sla/service-runtime';

@Controller('api/leads')
export class LeadsController {
  constructor(@Inject(DATA_SOURCE) private readonly dataSource: DataSource) {}

  @Get(':leadId')
  async lead(@Param('leadId') leadId: string) {
    const [found] = await this.dataSource.query('SELECT row FROM reporting.lead_rows WHERE lead_id = $1', [leadId]);
    if (!found) throw new NotFoundException(`no lead "${leadId}" in the reporting projection`);
    return found.row;
  }
}

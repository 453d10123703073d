import { Module } from '@nestjs/common';
import { EVENT_HANDLER, ServiceRuntimeModule, type ServiceDefinition } from '@lead-sla/service-runtime';
import { DispositionEventHandler } from './record-disposition/disposition-event.handler';
import { dispositionMigrations } from './migrations';

export const dispositionService: ServiceDefinition = { name: 'disposition', schema: 'disposition', migrations: dispositionMigrations, defaultPort: 3003 };

@Module({
  imports: [ServiceRuntimeModule.forRoot(dispositionService)],
  providers: [{ provide: EVENT_HANDLER, useClass: DispositionEventHandler }],
})
export class DispositionModule {}

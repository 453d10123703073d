import './tracing';
import { bootstrapService } from '@lead-sla/service-runtime';
import { DispositionModule, dispositionService } from './disposition.module';

void bootstrapService(dispositionService, DispositionModule);

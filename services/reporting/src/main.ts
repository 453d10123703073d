import './tracing';
import { bootstrapService } from '@lead-sla/service-runtime';
import { ReportingModule, reportingService } from './reporting.module';

void bootstrapService(reportingService, ReportingModule);

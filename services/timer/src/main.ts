import './tracing';
import { bootstrapService } from '@lead-sla/service-runtime';
import { TimerModule, timerService } from './timer.module';

void bootstrapService(timerService, TimerModule);

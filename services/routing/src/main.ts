import './tracing';
import { bootstrapService } from '@lead-sla/service-runtime';
import { RoutingModule, routingService } from './routing.module';

void bootstrapService(routingService, RoutingModule);

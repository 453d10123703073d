import './tracing';
import { bootstrapService } from '@lead-sla/service-runtime';
import { NotificationsModule, notificationsService } from './notifications.module';

void bootstrapService(notificationsService, NotificationsModule);

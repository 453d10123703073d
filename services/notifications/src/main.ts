import './tracing';
import { bootstrapService } from '@lead-sla/service-runtime';
import { loadNotificationsConfig } from './notifications-config';
import { NotificationsModule, notificationsService } from './notifications.module';

void bootstrapService(notificationsService, NotificationsModule, { serviceConfig: [loadNotificationsConfig] });

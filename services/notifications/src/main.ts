import './tracing';
import { bootstrapService } from '@lead-sla/service-runtime';
import { loadNotificationsConfig } from './notifications-config';
import { NotificationsModule, notificationsService } from './notifications.module';

if (process.argv[2] !== 'migrate') {
  // Notifications' own variables are checked before anything connects, naming the variable.
  try {
    loadNotificationsConfig();
  } catch (error) {
    process.stderr.write(`notifications: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
void bootstrapService(notificationsService, NotificationsModule);

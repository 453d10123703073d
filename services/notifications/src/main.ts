import './tracing';
import { ConfigError } from '@lead-sla/platform';
import { bootstrapService, loadRuntimeConfig } from '@lead-sla/service-runtime';
import { loadNotificationsConfig } from './notifications-config';
import { NotificationsModule, notificationsService } from './notifications.module';

if (process.argv[2] !== 'migrate') {
  // Checked before anything connects; all problems at once, common variables and this service's own.
  const problems = [loadRuntimeConfig, loadNotificationsConfig].flatMap((load) => {
    try {
      load();
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return [...error.problems];
      throw error;
    }
  });
  if (problems.length > 0) {
    process.stderr.write(`notifications: ${new ConfigError(problems).message}\n`);
    process.exit(1);
  }
}
void bootstrapService(notificationsService, NotificationsModule);

import { publicRoutes, routesOfModule, undeclaredRoutes } from '@lead-sla/testing';
import { NotificationsModule } from './notifications.module';

// docs/security.md: every route is public by declaration or guarded; AccessGuard refuses one that is neither.
describe('notifications routes', () => {
  it('each declare their access (public, guarded, or authenticated by the service\'s own guard)', () => {
    expect(routesOfModule(NotificationsModule).map((r) => r.route)).toEqual(expect.arrayContaining(['GET /health/live']));
    expect(undeclaredRoutes(NotificationsModule)).toEqual([]);
  });

  it('are public only where docs/security.md says', () => {
    expect(publicRoutes(NotificationsModule)).toEqual(['GET /health/live', 'GET /health/ready', 'GET /metrics']);
  });
});

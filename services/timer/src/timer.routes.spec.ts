import { publicRoutes, routesOfModule, undeclaredRoutes } from '@lead-sla/testing';
import { TimerModule } from './timer.module';

// docs/security.md: every route is public by declaration or guarded; AccessGuard refuses one that is neither.
describe('timer routes', () => {
  it('each declare their access (public, guarded, or authenticated by the service\'s own guard)', () => {
    expect(routesOfModule(TimerModule).map((r) => r.route)).toEqual(expect.arrayContaining(['GET /health/live']));
    expect(undeclaredRoutes(TimerModule)).toEqual([]);
  });

  it('are public only where docs/security.md says', () => {
    expect(publicRoutes(TimerModule)).toEqual(['GET /health/live', 'GET /health/ready', 'GET /metrics']);
  });
});

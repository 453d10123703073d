import { publicRoutes, routesOfModule, undeclaredRoutes } from '@lead-sla/testing';
import { RoutingModule } from './routing.module';

// docs/security.md: every route is public by declaration or guarded; AccessGuard refuses one that is neither.
describe('routing routes', () => {
  it('each declare their access (public, guarded, or authenticated by the service\'s own guard)', () => {
    expect(routesOfModule(RoutingModule).map((r) => r.route)).toEqual(expect.arrayContaining(['POST /api/reps/:repId/reinstate', 'POST /api/reps/:repId/availability', 'GET /api/leads/:leadId/assignment-explanation', 'POST /api/leads/:leadId/reassign', 'POST /v1/policies', 'POST /v1/policies/dry-run']));
    expect(undeclaredRoutes(RoutingModule)).toEqual([]);
  });

  it('are public only where docs/security.md says', () => {
    expect(publicRoutes(RoutingModule)).toEqual(['GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /openapi.json']);
  });
});

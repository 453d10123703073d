import { publicRoutes, routesOfModule, undeclaredRoutes } from '@lead-sla/testing';
import { DispositionModule } from './disposition.module';

// docs/security.md: every route is public by declaration or guarded; AccessGuard refuses one that is neither.
describe('disposition routes', () => {
  it('each declare their access (public, guarded, or authenticated by the service\'s own guard)', () => {
    expect(routesOfModule(DispositionModule).map((r) => r.route)).toEqual(expect.arrayContaining(['POST /api/leads/:leadId/dispositions', 'POST /api/leads/:leadId/accept', 'POST /api/leads/:leadId/reject']));
    expect(undeclaredRoutes(DispositionModule)).toEqual([]);
  });

  it('are public only where docs/security.md says', () => {
    expect(publicRoutes(DispositionModule)).toEqual(['GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /openapi.json']);
  });
});

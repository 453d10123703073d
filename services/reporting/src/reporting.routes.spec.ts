import { publicRoutes, routesOfModule, undeclaredRoutes } from '@lead-sla/testing';
import { ReportingModule } from './reporting.module';

// docs/security.md: every route is public by declaration or guarded; AccessGuard refuses one that is neither.
describe('reporting routes', () => {
  it('each declare their access (public, guarded, or authenticated by the service\'s own guard)', () => {
    expect(routesOfModule(ReportingModule).map((r) => r.route)).toEqual(expect.arrayContaining(['GET /api/board', 'GET /api/scorecards', 'GET /api/leads/:leadId', 'GET /v1/policies', 'POST /api/what-if']));
    expect(undeclaredRoutes(ReportingModule)).toEqual([]);
  });

  it('are public only where docs/security.md says', () => {
    expect(publicRoutes(ReportingModule)).toEqual(['GET /', 'GET /api/openapi.json', 'GET /auth/callback', 'GET /auth/login', 'GET /auth/logout', 'GET /dashboard', 'GET /dashboard/app.js', 'GET /dashboard/leads/:leadId', 'GET /dashboard/style.css', 'GET /dashboard/vendor/chart.umd.min.js', 'GET /dashboard/view-model.js', 'GET /dashboard/what-if', 'GET /health/live', 'GET /health/ready', 'GET /metrics']);
  });
});

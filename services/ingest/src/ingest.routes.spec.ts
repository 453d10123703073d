import { publicRoutes, routesOfModule, undeclaredRoutes } from '@lead-sla/testing';
import { IngestModule } from './ingest.module';

// docs/security.md: every route is public by declaration or guarded; AccessGuard refuses one that is neither.
describe('ingest routes', () => {
  it('each declare their access (public, guarded, or authenticated by the service\'s own guard)', () => {
    expect(routesOfModule(IngestModule).map((r) => r.route)).toEqual(expect.arrayContaining(['POST /v1/leads', 'POST /v1/api-keys']));
    expect(undeclaredRoutes(IngestModule)).toEqual([]);
  });

  it('are public only where docs/security.md says', () => {
    expect(publicRoutes(IngestModule)).toEqual(['GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /openapi.json']);
  });
});

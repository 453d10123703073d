import { openApiDrift, openApiFileOf, openApiOperations, publicOpenApiRoutes, regenerateOpenApiCommand } from '@lead-sla/service-runtime';
import { reportingOpenApiDocument } from './write-openapi.main';

describe("reporting's OpenAPI document, generated from the controllers", () => {
  it('is checked in unchanged at docs/openapi/reporting.openapi.json', async () => {
    expect(openApiDrift(openApiFileOf('reporting'), await reportingOpenApiDocument(), regenerateOpenApiCommand('reporting'))).toBeNull();
  });

  it('names every query parameter the read routes accept, and the 400 that names a bad one', async () => {
    const doc = await reportingOpenApiDocument();
    const scorecards = doc.paths['/api/scorecards'].get!;
    expect(scorecards.parameters!.map((p) => (p as { name: string }).name).sort()).toEqual(['dimension', 'from', 'groupBy', 'key', 'limit', 'offset', 'rep', 'segment', 'source', 'team', 'to'].sort());
    for (const path of ['/api/scorecards', '/api/board', '/api/reports/missed-sla', '/api/digests/missed-sla', '/api/digests/fallback-review', '/api/reps/out-of-rotation', '/v1/policies']) {
      expect({ path, answers: Object.keys(doc.paths[path].get!.responses) }).toEqual({ path, answers: ['200', '400'] });
    }
  });

  it('needs credentials except on the routes declared public; the dashboard actions take the session', async () => {
    const doc = await reportingOpenApiDocument();
    const operations = openApiOperations(doc).map(({ route, op }) => ({ route, security: op.security }));
    expect(publicOpenApiRoutes(doc)).toEqual(
      ['GET /api/openapi.json', 'GET /auth/callback', 'GET /auth/login', 'GET /auth/logout', 'GET /dashboard', 'GET /dashboard/leads/{leadId}', 'GET /dashboard/what-if', 'GET /health/live', 'GET /health/ready', 'GET /metrics'].sort(),
    );
    expect(operations.filter((o) => o.route.startsWith('POST /api/actions/')).map((o) => o.security)).toEqual(Array(5).fill([{ session: [] }]));
    expect(doc.security).toEqual([{ apiKey: [] }, { bearer: [] }, { session: [] }]);
  });
});

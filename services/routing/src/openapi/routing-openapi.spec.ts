import { commandRouteGaps, openApiDrift, openApiFileOf, publicOpenApiRoutes, regenerateOpenApiCommand } from '@lead-sla/service-runtime';
import { routingOpenApiDocument } from './write-openapi.main';

describe("routing's OpenAPI document, generated from the controllers", () => {
  it('is checked in unchanged at docs/openapi/routing.openapi.json', async () => {
    expect(openApiDrift(openApiFileOf('routing'), await routingOpenApiDocument(), regenerateOpenApiCommand('routing'))).toBeNull();
  });

  it('describes every command with its body, and needs credentials except on the routes declared public', async () => {
    const doc = await routingOpenApiDocument();
    expect(publicOpenApiRoutes(doc)).toEqual(['GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /openapi.json']);
    expect(commandRouteGaps(doc)).toEqual([]);
    expect(doc.security).toEqual([{ apiKey: [] }, { bearer: [] }]);
  });
});

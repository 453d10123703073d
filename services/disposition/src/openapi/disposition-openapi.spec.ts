import { commandRouteGaps, openApiDrift, openApiFileOf, publicOpenApiRoutes, regenerateOpenApiCommand } from '@lead-sla/service-runtime';
import { dispositionOpenApiDocument } from './write-openapi.main';

describe("disposition's OpenAPI document, generated from the controllers", () => {
  it('is checked in unchanged at docs/openapi/disposition.openapi.json', async () => {
    expect(openApiDrift(openApiFileOf('disposition'), await dispositionOpenApiDocument(), regenerateOpenApiCommand('disposition'))).toBeNull();
  });

  it('describes every command with its body, and needs credentials except on the routes declared public', async () => {
    const doc = await dispositionOpenApiDocument();
    expect(publicOpenApiRoutes(doc)).toEqual(['GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /openapi.json']);
    expect(commandRouteGaps(doc)).toEqual([]);
    expect(doc.security).toEqual([{ apiKey: [] }, { bearer: [] }]);
  });
});

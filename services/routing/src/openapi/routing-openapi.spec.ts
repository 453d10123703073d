import { openApiDrift, openApiFileOf, openApiOperations, regenerateOpenApiCommand } from '@lead-sla/service-runtime';
import { routingOpenApiDocument } from './write-openapi.main';

describe("routing's OpenAPI document, generated from the controllers", () => {
  it('is checked in unchanged at docs/openapi/routing.openapi.json', async () => {
    expect(openApiDrift(openApiFileOf('routing'), await routingOpenApiDocument(), regenerateOpenApiCommand('routing'))).toBeNull();
  });

  it('describes every command with its body, and needs credentials except on the routes declared public', async () => {
    const doc = await routingOpenApiDocument();
    const operations = openApiOperations(doc);
    expect(operations.filter((o) => o.op.security?.length === 0).map((o) => o.route).sort()).toEqual(['GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /openapi.json']);
    for (const { route, op } of operations.filter((o) => o.route.startsWith('POST '))) {
      expect({ route, body: op.requestBody }).toMatchObject({ route, body: { content: { 'application/json': { schema: { type: 'object' } } } } });
      expect({ route, answers: Object.keys(op.responses) }).toEqual({ route, answers: expect.arrayContaining(['400', '401', '403']) });
    }
    expect(doc.security).toEqual([{ apiKey: [] }, { bearer: [] }]);
  });
});

import { openApiDrift, openApiFileOf, publicOpenApiRoutes, regenerateOpenApiCommand } from '@lead-sla/service-runtime';
import { ingestOpenApiDocument } from './write-openapi.main';

describe("ingest's OpenAPI document, generated from the controllers", () => {
  it('is checked in unchanged at docs/openapi/ingest.openapi.json', async () => {
    expect(openApiDrift(openApiFileOf('ingest'), await ingestOpenApiDocument(), regenerateOpenApiCommand('ingest'))).toBeNull();
  });

  it('describes every event route with its body and the 4xx answers, under the API-key schemes', async () => {
    const doc = await ingestOpenApiDocument();
    for (const path of ['/v1/events', '/v1/leads', '/v1/leads/{leadId}/touches', '/v1/leads/{leadId}/dispositions', '/v1/leads/{leadId}/bounces', '/v1/reps/{repId}/availability']) {
      const post = doc.paths[path].post!;
      expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['202', '400', '401', '403', '409', '413', '429']));
      expect(post.requestBody).toMatchObject({ required: true, content: { 'application/json': { schema: { type: 'object' } } } });
      expect(post.security).toBeUndefined(); // the document's: an API key, as a header or a bearer token
    }
    expect(doc.security).toEqual([{ bearer: [] }, { apiKey: [] }]);
    expect(doc.paths['/v1/leads/{leadId}/touches'].post!.requestBody).toMatchObject({ content: { 'application/json': { schema: { properties: { data: { $ref: '#/components/schemas/LeadTouchedData' } } } } } });
    // A command's actor comes from the API key, never from the body.
    expect(doc.components!.schemas!.LeadDispositionedData).not.toHaveProperty('properties.actor');
  });

  it('needs no credentials exactly on the routes declared public', async () => {
    expect(publicOpenApiRoutes(await ingestOpenApiDocument())).toEqual(['GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /openapi.json']);
  });
});

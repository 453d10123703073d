import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestOpenApiDocument } from './ingest-openapi.document';

describe('the ingest OpenAPI document', () => {
  it('is checked in unchanged at docs/openapi/ingest.openapi.json (regenerate: main.ts openapi)', () => {
    const checkedIn = JSON.parse(readFileSync(join(__dirname, '../../../../docs/openapi/ingest.openapi.json'), 'utf8'));
    expect(checkedIn).toEqual(JSON.parse(JSON.stringify(ingestOpenApiDocument())));
  });

  it('describes every public event route with the 4xx answers', () => {
    const doc = ingestOpenApiDocument() as { paths: Record<string, { post?: { responses: Record<string, unknown> } }> };
    for (const path of ['/v1/events', '/v1/leads', '/v1/leads/{leadId}/touches', '/v1/leads/{leadId}/dispositions', '/v1/leads/{leadId}/bounces', '/v1/reps/{repId}/availability']) {
      expect(Object.keys(doc.paths[path].post!.responses)).toEqual(expect.arrayContaining(['202', '400', '401', '403', '409', '413', '429']));
    }
  });
});

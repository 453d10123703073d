import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';
import { commandRouteGaps, openApiDrift, publicOpenApiRoutes, requestSchema, writeOpenApiDocument } from './openapi-document';

const doc = (summary: string) => ({ openapi: '3.1.0', info: { title: 't', version: '1' }, paths: { '/v1/leads': { post: { summary, responses: {} } } } }) as unknown as OpenAPIObject;

describe('the OpenAPI drift check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('passes when the checked-in copy is what the controllers generate, and names the first difference and the command when not', () => {
    const file = join(dir, 'x.openapi.json');
    writeOpenApiDocument(file, doc('Create a lead'));
    expect(openApiDrift(file, doc('Create a lead'), 'regen')).toBeNull();
    expect(openApiDrift(file, doc('Create one lead'), 'regen')).toBe(`${file} differs from the document generated from the controllers at paths["/v1/leads"].post.summary: regenerate it with \`regen\` and commit it`);
  });

  it('says how to create a missing copy', () => {
    expect(openApiDrift(join(dir, 'missing.json'), doc('x'), 'regen')).toMatch(/missing\.json cannot be read \(.*\): generate it with `regen`$/);
  });
});

describe('a request body from its zod schema', () => {
  it('is the JSON Schema of what a client sends, without the fields the route fills in', () => {
    const body = z.object({ repId: z.string(), note: z.string().max(500).optional(), when: z.iso.datetime().nullable() }).strict();
    expect(requestSchema(body, ['repId'])).toEqual({
      type: 'object',
      properties: { note: { type: 'string', maxLength: 500 }, when: { anyOf: [{ type: 'string', format: 'date-time', pattern: expect.any(String) }, { type: 'null' }] } },
      required: ['when'],
      additionalProperties: false,
    });
  });
});

describe('what a document says about credentials and commands', () => {
  const jsonObject = { content: { 'application/json': { schema: { type: 'object' } } } };
  const answers = { 202: {}, 400: {}, 401: {}, 403: {} };
  const document = {
    openapi: '3.0.0',
    info: { title: 't', version: '1' },
    paths: {
      '/metrics': { get: { security: [], responses: { 200: {} } } },
      '/v1/ok': { post: { requestBody: jsonObject, responses: answers } },
      '/v1/no-body': { post: { responses: answers } },
      '/v1/text-body': { post: { requestBody: { content: { 'text/plain': { schema: { type: 'string' } } } }, responses: { 202: {}, 400: {} } } },
      '/health/live': { get: { security: [], responses: { 200: {} } } },
      '/v1/read': { get: { responses: { 200: {} } } },
    },
  } as unknown as OpenAPIObject;

  it('lists the routes that need no credentials, sorted', () => {
    expect(publicOpenApiRoutes(document)).toEqual(['GET /health/live', 'GET /metrics']);
  });

  it('names each POST route without a JSON object body or without its 400, 401 and 403 answers', () => {
    expect(commandRouteGaps(document)).toEqual(['POST /v1/no-body: no JSON object body', 'POST /v1/text-body: no JSON object body', 'POST /v1/text-body: no 401, 403 answer']);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';
import { openApiDrift, requestSchema, writeOpenApiDocument } from './openapi-document';

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

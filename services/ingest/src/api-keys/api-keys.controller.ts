import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { requestSchema } from '@lead-sla/service-runtime';
import { problem, zodProblem } from '../http/problem';
import { IngestErrors } from '../openapi/ingest-api';
import { ApiKeyGuard, RequireScope } from './api-key.guard';
import { ApiKeyRepository } from './api-key.repository';
import { Scopes } from './api-key.util';

const CreateKeyRequest = z
  .object({
    name: z.string().min(1).max(200),
    scopes: z.array(z.enum(Scopes)).min(1),
    ratePerSecond: z.number().positive().nullable().optional(),
    burst: z.number().int().positive().nullable().optional(),
  })
  .strict();

/** Key management (admin scope). The plaintext key is returned once, at creation. */
@Controller('v1/api-keys')
@ApiTags('api-keys')
@IngestErrors()
@UseGuards(ApiKeyGuard)
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyRepository) {}

  @Post()
  @RequireScope('admin')
  @ApiOperation({ summary: 'Create an API key (admin scope); the key is in the answer, once' })
  @ApiBody({ required: true, schema: requestSchema(CreateKeyRequest) })
  @ApiResponse({ status: 201, description: 'Created; `key` is shown only now.', schema: { allOf: [{ $ref: '#/components/schemas/ApiKey' }, { type: 'object', required: ['key'], properties: { key: { type: 'string' } } }] } })
  async create(@Body() body: unknown) {
    const parsed = CreateKeyRequest.safeParse(body);
    if (!parsed.success) throw zodProblem(parsed.error);
    const { record, key } = await this.keys.create(parsed.data);
    return { ...record, key };
  }

  @Get()
  @RequireScope('admin')
  @ApiOperation({ summary: 'List API keys (admin scope)' })
  @ApiResponse({ status: 200, description: 'The keys, without secrets.', schema: { type: 'object', properties: { keys: { type: 'array', items: { $ref: '#/components/schemas/ApiKey' } } } } })
  async list() {
    return { keys: await this.keys.list() };
  }

  @Delete(':id')
  @RequireScope('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke an API key (admin scope)' })
  @ApiResponse({ status: 204, description: 'Revoked.' })
  @ApiResponse({ status: 404, description: 'No such active key.', schema: { $ref: '#/components/schemas/Problem' } })
  async revoke(@Param('id') id: string) {
    if (!(await this.keys.revoke(id))) throw problem(HttpStatus.NOT_FOUND, 'not_found', `no active API key with id "${id}"`);
  }
}

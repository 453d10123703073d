import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { problem, zodProblem } from '../http/problem';
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
@UseGuards(ApiKeyGuard)
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyRepository) {}

  @Post()
  @RequireScope('admin')
  async create(@Body() body: unknown) {
    const parsed = CreateKeyRequest.safeParse(body);
    if (!parsed.success) throw zodProblem(parsed.error);
    const { record, key } = await this.keys.create(parsed.data);
    return { ...record, key };
  }

  @Get()
  @RequireScope('admin')
  async list() {
    return { keys: await this.keys.list() };
  }

  @Delete(':id')
  @RequireScope('admin')
  @HttpCode(HttpStatus.NO_CONTENT)
  async revoke(@Param('id') id: string) {
    if (!(await this.keys.revoke(id))) throw problem(HttpStatus.NOT_FOUND, 'not_found', `no active API key with id "${id}"`);
  }
}

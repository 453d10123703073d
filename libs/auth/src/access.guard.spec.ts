import 'reflect-metadata';
import { HttpException, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Policy } from '@lead-sla/policy';
import { Guarded, Public } from './access.decorators';
import { AccessGuard } from './access.guard';
import { loadAuthConfig } from './auth-config';
import { Authenticator } from './authenticator';

class Routes {
  @Public('probe')
  open(): void {}

  @Guarded('keys.manage')
  keys(): void {}

  @Guarded('lead.read')
  lead(): void {}

  undeclared(): void {}
}

const policy = { version: 'p1', teams: [], reps: [], directory: [] } as unknown as Policy;
const keys = { findActive: async (key: string) => (key === 'lsk_admin' ? { id: 'a', scopes: ['admin'] } : key === 'lsk_read' ? { id: 'r', scopes: ['read'] } : null) };
const guard = new AccessGuard(new Reflector(), new Authenticator(loadAuthConfig({}), keys, null, () => policy, () => 0), () => policy);

function context(handler: keyof Routes, headers: Record<string, string> = {}) {
  const request: Record<string, unknown> = { headers, method: 'GET', url: `/${handler}?x=1` };
  const ctx = { getHandler: () => Routes.prototype[handler], getClass: () => Routes, switchToHttp: () => ({ getRequest: () => request }) } as unknown as ExecutionContext;
  return { ctx, request };
}

async function statusOf(promise: Promise<boolean>): Promise<number | boolean> {
  try {
    return await promise;
  } catch (error) {
    return (error as HttpException).getStatus();
  }
}

describe('the access guard', () => {
  it('refuses a route that declares no access rule, naming it', async () => {
    const { ctx } = context('undeclared', { 'x-api-key': 'lsk_admin' });
    await expect(guard.canActivate(ctx)).rejects.toThrow(HttpException);
    await expect(guard.canActivate(ctx)).rejects.toMatchObject({ response: { message: expect.stringContaining('GET /undeclared declares no access rule') } });
  });

  it('lets anyone through a public route', async () => {
    expect(await statusOf(guard.canActivate(context('open').ctx))).toBe(true);
  });

  it('answers 401 without credentials and with an unknown key on a guarded route', async () => {
    expect(await statusOf(guard.canActivate(context('lead').ctx))).toBe(401);
    expect(await statusOf(guard.canActivate(context('lead', { 'x-api-key': 'lsk_nope' }).ctx))).toBe(401);
  });

  it('decides an action without facts itself (403 for a key without the scope), and hands the principal to the handler', async () => {
    expect(await statusOf(guard.canActivate(context('keys', { 'x-api-key': 'lsk_read' }).ctx))).toBe(403);
    const { ctx, request } = context('keys', { 'x-api-key': 'lsk_admin' });
    expect(await statusOf(guard.canActivate(ctx))).toBe(true);
    expect(request.principal).toEqual({ kind: 'api_key', id: 'a', scopes: ['admin'] });
  });
});

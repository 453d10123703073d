import 'reflect-metadata';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod, type DynamicModule, type Type } from '@nestjs/common';
import { ROUTE_ACCESS, type RouteAccess } from '@lead-sla/auth';

/**
 * The routes a service's root module registers, as Nest sees them, each with
 * the access it declares (docs/security.md). Each service's routes spec uses
 * it to fail on a route that is neither public by declaration nor guarded.
 */
export function routesOfModule(module: Type<unknown>): Route[] {
  return controllersOf(module).flatMap(routesOf);
}

/** Routes that declare no access rule (AccessGuard refuses them at run time). */
export function undeclaredRoutes(module: Type<unknown>): string[] {
  return routesOfModule(module).filter((r) => r.access === undefined).map((r) => r.route);
}

/** Routes public by declaration. */
export function publicRoutes(module: Type<unknown>): string[] {
  return routesOfModule(module).filter((r) => r.access !== undefined && 'public' in r.access).map((r) => r.route).sort();
}

export interface Route {
  readonly route: string;
  readonly access: RouteAccess | undefined;
}

/** Every controller a module registers, its imports' (and dynamic modules') included. */
function controllersOf(module: Type<unknown> | DynamicModule, seen = new Set<unknown>()): Type<unknown>[] {
  const type = 'module' in module ? module.module : module;
  if (seen.has(module)) return [];
  seen.add(module);
  const own: Type<unknown>[] = [...(Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, type) ?? []), ...('module' in module ? (module.controllers ?? []) : [])];
  const imports: Array<Type<unknown> | DynamicModule> = [...(Reflect.getMetadata(MODULE_METADATA.IMPORTS, type) ?? []), ...('module' in module ? (module.imports ?? []) : [])];
  return [...own, ...imports.flatMap((m) => controllersOf(m as Type<unknown> | DynamicModule, seen))];
}

/** The routes of a controller as Nest registers them: a method with a request-method decorator is a route. */
function routesOf(controller: Type<unknown>): Route[] {
  const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
  const proto = controller.prototype as Record<string, unknown>;
  return Object.getOwnPropertyNames(proto).flatMap((name) => {
    const handler = proto[name];
    if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) return [];
    const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
    const path = String(Reflect.getMetadata(PATH_METADATA, handler) ?? '');
    const access = (Reflect.getMetadata(ROUTE_ACCESS, handler) ?? Reflect.getMetadata(ROUTE_ACCESS, controller)) as RouteAccess | undefined;
    return [{ route: `${method} /${[base, path].filter((p) => p && p !== '/').join('/')}`.replace(/\/+/g, '/'), access }];
  });
}

import 'reflect-metadata';
import { METHOD_METADATA, MODULE_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { RequestMethod, type DynamicModule, type Type } from '@nestjs/common';
import { ROUTE_ACCESS, type RouteAccess } from '@lead-sla/auth';
import { DispositionModule } from '../../../services/disposition/src/disposition.module';
import { IngestModule } from '../../../services/ingest/src/ingest.module';
import { NotificationsModule } from '../../../services/notifications/src/notifications.module';
import { ReportingModule } from '../../../services/reporting/src/reporting.module';
import { RoutingModule } from '../../../services/routing/src/routing.module';
import { TimerModule } from '../../../services/timer/src/timer.module';

const services: Record<string, Type<unknown>> = {
  routing: RoutingModule,
  timer: TimerModule,
  disposition: DispositionModule,
  reporting: ReportingModule,
  ingest: IngestModule,
  notifications: NotificationsModule,
};

interface Route {
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

describe('every route of every service', () => {
  const all = Object.entries(services).flatMap(([service, module]) => controllersOf(module).flatMap((c) => routesOf(c).map((r) => ({ service, ...r }))));

  it('finds the routers (so the check below cannot pass by finding nothing)', () => {
    expect(all.length).toBeGreaterThan(20);
    expect(all.map((r) => `${r.service} ${r.route}`)).toEqual(expect.arrayContaining(['disposition POST /api/leads/:leadId/dispositions', 'routing GET /health/live', 'ingest POST /v1/leads']));
  });

  it('is public by declaration, guarded by an action of the authorization table, or authenticated by ingest', () => {
    const undeclared = all.filter((r) => r.access === undefined).map((r) => `${r.service} ${r.route}`);
    expect(undeclared).toEqual([]);
  });

  it('is public only for probes, the metrics scrape, the API description and the dashboard\'s static files', () => {
    const publicRoutes = [...new Set(all.filter((r) => r.access && 'public' in r.access).map((r) => r.route))].sort();
    expect(publicRoutes).toEqual(['GET /', 'GET /api/openapi.json', 'GET /dashboard', 'GET /dashboard/app.js', 'GET /dashboard/style.css', 'GET /health/live', 'GET /health/ready', 'GET /metrics', 'GET /openapi.json']);
  });
});

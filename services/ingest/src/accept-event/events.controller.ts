import { Body, Controller, Get, HttpStatus, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { ApiKeyGuard, RequireScope, type AuthenticatedRequest } from '../api-keys/api-key.guard';
import { problem, zodProblem } from '../http/problem';
import { AcceptsEvent, IngestErrors } from '../openapi/ingest-api';
import { inServerSpan } from '../http/server-span';
import { AcceptEventService, requestHash } from './accept-event.service';
import { EventRequest } from './event-request';

interface HttpResponse {
  status(code: number): void;
  setHeader(name: string, value: string): void;
}

/** A convenience route's body: the event request without its type (the path says it). */
const RouteRequest = EventRequest.omit({ type: true });

const IdempotencyKey = z.string().min(1).max(200).regex(/^[\x21-\x7e]+$/, 'must be 1-200 visible ASCII characters');

/**
 * POST /v1/events takes any public event; the routes under /v1/leads and
 * /v1/reps are shorthands that fix the type (and the lead or rep from the path).
 */
@Controller('v1')
@UseGuards(ApiKeyGuard)
export class EventsController {
  constructor(private readonly accept: AcceptEventService) {}

  @Post('events')
  @AcceptsEvent('Publish any public event')
  @RequireScope('ingest')
  events(@Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: HttpResponse, @Body() body: unknown) {
    return this.handle('events', req, res, body, (b) => EventRequest.safeParse(b));
  }

  @Post('leads')
  @AcceptsEvent('A lead was created (LeadCreated)', 'LeadCreated')
  @RequireScope('ingest')
  leads(@Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: HttpResponse, @Body() body: unknown) {
    return this.handle('leads', req, res, body, (b) => this.typed('LeadCreated', b));
  }

  @Post('leads/:leadId/touches')
  @AcceptsEvent('A touch was logged (LeadTouched)', 'LeadTouched', 'leadId')
  @RequireScope('ingest')
  touches(@Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: HttpResponse, @Body() body: unknown, @Param('leadId') leadId: string) {
    return this.handle('touches', req, res, body, (b) => this.typed('LeadTouched', b, { leadId }));
  }

  @Post('leads/:leadId/dispositions')
  @AcceptsEvent('A disposition was recorded (LeadDispositioned)', 'LeadDispositioned', 'leadId')
  @RequireScope('ingest')
  dispositions(@Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: HttpResponse, @Body() body: unknown, @Param('leadId') leadId: string) {
    return this.handle('dispositions', req, res, body, (b) => this.typed('LeadDispositioned', b, { leadId }));
  }

  @Post('leads/:leadId/bounces')
  @AcceptsEvent('An email bounced or a phone number was invalid (ContactBounced)', 'ContactBounced', 'leadId')
  @RequireScope('ingest')
  bounces(@Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: HttpResponse, @Body() body: unknown, @Param('leadId') leadId: string) {
    return this.handle('bounces', req, res, body, (b) => this.typed('ContactBounced', b, { leadId }));
  }

  @Post('reps/:repId/availability')
  @AcceptsEvent("A rep's availability changed (RepAvailabilityChanged)", 'RepAvailabilityChanged', 'repId')
  @RequireScope('ingest')
  availability(@Req() req: AuthenticatedRequest, @Res({ passthrough: true }) res: HttpResponse, @Body() body: unknown, @Param('repId') repId: string) {
    return this.handle('availability', req, res, body, (b) => this.typed('RepAvailabilityChanged', b, { repId }));
  }

  @Get('events/:eventId')
  @ApiTags('events')
  @ApiOperation({ summary: 'An event ingest accepted, and whether it is published yet (read scope)' })
  @ApiParam({ name: 'eventId', schema: { type: 'string', format: 'uuid' } })
  @ApiResponse({ status: 200, description: 'The accepted event.' })
  @ApiResponse({ status: 404, description: 'Not accepted by ingest.', schema: { $ref: '#/components/schemas/Problem' } })
  @IngestErrors()
  @RequireScope('read')
  async find(@Param('eventId') eventId: string) {
    if (!z.uuid().safeParse(eventId).success) throw problem(HttpStatus.BAD_REQUEST, 'invalid_request', `eventId: "${eventId}" is not a UUID`, ['eventId']);
    const found = await this.accept.find(eventId);
    if (!found) throw problem(HttpStatus.NOT_FOUND, 'not_found', `no event ${eventId} was accepted by ingest`);
    return found;
  }

  private typed(type: string, body: unknown, path: { leadId?: string; repId?: string } = {}) {
    const parsed = RouteRequest.safeParse(body);
    if (!parsed.success) return parsed;
    const request = { ...parsed.data, type };
    if (path.leadId !== undefined) {
      if (request.leadId != null && request.leadId !== path.leadId) throw problem(HttpStatus.BAD_REQUEST, 'invalid_request', `leadId: "${request.leadId}" differs from the lead in the path ("${path.leadId}")`, ['leadId']);
      request.leadId = path.leadId;
    }
    if (path.repId !== undefined) {
      const repId = request.data.repId ?? path.repId;
      if (repId !== path.repId) throw problem(HttpStatus.BAD_REQUEST, 'invalid_request', `data.repId: "${String(repId)}" differs from the rep in the path ("${path.repId}")`, ['data.repId']);
      request.data = { ...request.data, repId };
      request.leadId = null;
    }
    return { success: true as const, data: request };
  }

  private async handle(
    route: string,
    req: AuthenticatedRequest,
    res: HttpResponse,
    body: unknown,
    parse: (body: unknown) => { success: true; data: EventRequest } | { success: false; error: z.ZodError },
  ) {
    if (body === undefined) throw problem(HttpStatus.BAD_REQUEST, 'invalid_request', '(body): a JSON object is required', ['(body)']);
    const header = req.headers['idempotency-key'];
    const rawKey = Array.isArray(header) ? header[0] : header;
    let idempotency: { key: string; hash: string } | null = null;
    if (rawKey !== undefined) {
      const key = IdempotencyKey.safeParse(rawKey);
      if (!key.success) throw problem(HttpStatus.BAD_REQUEST, 'invalid_request', `Idempotency-Key: ${key.error.issues[0].message}`, ['Idempotency-Key']);
      idempotency = { key: key.data, hash: requestHash(`${route}${JSON.stringify((req as { params?: unknown }).params ?? {})}`, body) };
    }
    const parsed = parse(body);
    if (!parsed.success) throw zodProblem(parsed.error);
    return inServerSpan(`POST /v1/${route}`, req.headers, { 'http.route': `/v1/${route}`, 'event.type': parsed.data.type }, async () => {
      const result = await this.accept.accept(parsed.data, req.apiKey!, idempotency);
      res.status(result.status);
      if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
      return result.body;
    });
  }
}

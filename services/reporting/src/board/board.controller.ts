import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Answers, Filter, Limit, QueryParam } from '../openapi/reporting-api';
import { badParameter, decodeCursor, encodeCursor, integerIn, oneOf, onlyKnown, optionalText, type Query as Q } from '../http/query-params.util';
import { AccessControl, CurrentPrincipal, Guarded, type Principal } from '@lead-sla/auth';
import { ReportingQueries } from '../http/reporting-queries.repository';
import { BoardNotices, type BoardNotice } from './board-notices.service';

/** The slices of Express's request and response the stream uses (no @types/express in the workspace). */
interface StreamRequest {
  on(event: 'close', listener: () => void): unknown;
}
interface StreamResponse {
  status(code: number): StreamResponse;
  set(headers: Record<string, string>): StreamResponse;
  flushHeaders(): void;
  write(chunk: string): boolean;
}

const FILTERS = ['team', 'rep', 'source', 'segment', 'tier'] as const;

/** The live "awaiting first touch" board, paged, and its server-sent change stream. */
@Controller('api/board')
@ApiTags('board')
export class BoardController {
  constructor(
    private readonly queries: ReportingQueries,
    private readonly notices: BoardNotices,
    private readonly access: AccessControl,
  ) {}

  @Get()
  @Guarded('reports.read')
  @ApiOperation({ summary: 'The awaiting-first-touch board', description: 'Open leads with an owner and no first owned touch, most urgent first (deadline, else assignment time). Keyset-paged.' })
  @Filter('team', 'Only this team.')
  @Filter('rep', 'Only this owner.')
  @Filter('source', 'Only this source.')
  @Filter('segment', 'Only this segment.')
  @QueryParam('tier', 'Only this tier.', { type: 'string', enum: ['hot', 'warm', 'cold'] })
  @Limit(500, 100)
  @QueryParam('cursor', 'nextCursor of the previous page.', { type: 'string' })
  @Answers('BoardPage', 'One page of the board.')
  async board(@CurrentPrincipal() principal: Principal, @Query() query: Q) {
    onlyKnown(query, [...FILTERS, 'limit', 'cursor']);
    const limit = integerIn(query, 'limit', 1, 500, 100);
    const cursor = decodeCursor(query);
    const after = cursor && cursor.length === 2 && cursor.every((c) => typeof c === 'string') ? (cursor as [string, string]) : undefined;
    if (cursor && !after) throw badParameter('cursor', 'is not a board cursor (pass nextCursor from the previous page unchanged)');
    const filters = {
      team: optionalText(query, 'team'),
      rep: optionalText(query, 'rep'),
      source: optionalText(query, 'source'),
      segment: optionalText(query, 'segment'),
      tier: query.tier === undefined ? undefined : oneOf(query, 'tier', ['hot', 'warm', 'cold']),
    };
    this.access.require(principal, { kind: 'reports.read', teamId: filters.team, repId: filters.rep });
    const { items, next } = await this.queries.board(filters, limit, after);
    return { serverTime: new Date().toISOString(), items, nextCursor: next ? encodeCursor(next) : null };
  }

  /**
   * Server-sent events: `changed` with the board rows that were upserted
   * and the lead ids that left the board, `reload` when the client should
   * fetch the whole board again. A comment line every 15 s keeps proxies open.
   */
  // The stream carries every board row: it is for those who may read the whole board (admins, read keys, the demo user).
  @Get('stream')
  @Guarded('reports.read')
  @ApiOperation({
    summary: 'Board changes as server-sent events',
    description: 'Events: `hello` {serverTime}; `changed` {serverTime, rows: BoardRow[] upserted, removed: leadId[] that left the board}; `reload` {} (fetch /api/board again).',
  })
  @ApiProduces('text/event-stream')
  @ApiResponse({ status: 200, description: 'An endless text/event-stream.', schema: { type: 'string' } })
  stream(@CurrentPrincipal() principal: Principal, @Req() req: StreamRequest, @Res() res: StreamResponse): void {
    this.access.require(principal, { kind: 'reports.read' });
    res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    res.flushHeaders();
    res.write(`event: hello\ndata: ${JSON.stringify({ serverTime: new Date().toISOString() })}\n\n`);
    const send = async (notice: BoardNotice) => {
      if ('reload' in notice) {
        res.write(`event: reload\ndata: {}\n\n`);
        return;
      }
      const rows = await this.queries.boardRows(notice.leadIds);
      const present = new Set(rows.map((r) => r.leadId as string));
      const removed = notice.leadIds.filter((id) => !present.has(id));
      res.write(`event: changed\ndata: ${JSON.stringify({ serverTime: new Date().toISOString(), rows, removed })}\n\n`);
    };
    let chain = Promise.resolve();
    const unsubscribe = this.notices.subscribe((n) => {
      chain = chain.then(() => send(n)).catch(() => undefined);
    });
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    req.on('close', () => {
      clearInterval(keepAlive);
      unsubscribe();
    });
  }
}

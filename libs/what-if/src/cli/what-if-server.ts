import type { KafkaClient } from '@lead-sla/messaging';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { parsePolicy, PolicyError, type Policy } from '@lead-sla/policy';
import { EmptyPeriodError } from '../engine/run-what-if';
import { BaselineDivergesError, parseWhatIfArgs, whatIfFromLog, WhatIfUsageError } from './what-if-command';

export interface WhatIfServerOptions {
  readonly kafka: KafkaClient;
  /** The policy in force before the log's first PolicyPublished (the services' POLICY_FILE); after it, the baseline follows the published versions. */
  readonly bootstrapFile: string;
  /** Bearer token an admin sends; requests without it are refused. */
  readonly adminToken: string;
  /** Where a posted candidate policy is written for the run (a temporary file per request). */
  readonly writeCandidate: (yaml: string) => string;
}

const MAX_BODY = 1_000_000;

async function body(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new WhatIfUsageError(`request body over ${MAX_BODY} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function authorised(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from((req.headers.authorization ?? '').replace(/^Bearer /, ''));
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The admin what-if API: `POST /admin/what-if` with
 * `{ "policy": "<candidate YAML>", "from": "2026-10-01", "to": "2026-11-01", "team": "emea-sdr" }`
 * and `Authorization: Bearer <WHAT_IF_ADMIN_TOKEN>`; answers the JSON
 * report, or the HTML report when the request accepts text/html. One run
 * at a time (a month takes tens of seconds of CPU): a second gets 429.
 */
export function whatIfServer(options: WhatIfServerOptions): Server {
  let busy = false;
  return createServer((req, res) => {
    const send = (status: number, payload: unknown, type = 'application/json') => {
      res.writeHead(status, { 'content-type': `${type}; charset=utf-8` });
      res.end(typeof payload === 'string' ? payload : JSON.stringify(payload, null, 2));
    };
    if (req.method !== 'POST' || req.url !== '/admin/what-if') return send(404, { error: 'not found: POST /admin/what-if' });
    if (!authorised(req, options.adminToken)) return send(401, { error: 'admin only: send Authorization: Bearer <WHAT_IF_ADMIN_TOKEN>' });
    if (busy) return send(429, { error: 'a what-if run is under way; try again when it has finished' });
    busy = true;
    void (async () => {
      try {
        const request = JSON.parse(await body(req)) as { policy?: unknown; from?: unknown; to?: unknown; team?: unknown };
        if (typeof request.policy !== 'string') throw new WhatIfUsageError('"policy" must be the candidate policy as YAML text');
        let candidate: Policy;
        try {
          candidate = parsePolicy(request.policy, 'the posted policy');
        } catch (error) {
          throw error instanceof PolicyError ? new WhatIfUsageError(error.message) : error;
        }
        const argv = ['--policy', options.writeCandidate(request.policy), '--from', String(request.from ?? ''), '--to', String(request.to ?? '')];
        if (typeof request.team === 'string') argv.push('--team', request.team);
        const report = await whatIfFromLog(options.kafka, parseWhatIfArgs(argv, options.bootstrapFile), () => undefined);
        if ((req.headers.accept ?? '').includes('text/html')) send(200, report.html, 'text/html');
        else send(200, { ...report.json, candidatePolicy: candidate.version });
      } catch (error) {
        if (error instanceof SyntaxError) send(400, { error: `the body is not JSON: ${error.message}` });
        else if (error instanceof WhatIfUsageError || error instanceof EmptyPeriodError) send(400, { error: error.message });
        else if (error instanceof BaselineDivergesError) send(409, { error: error.message });
        else send(500, { error: (error as Error).message });
      } finally {
        busy = false;
      }
    })();
  });
}

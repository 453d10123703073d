import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { z } from 'zod';
import { envSettings } from '@lead-sla/platform';

/** Where the dashboard's what-if page sends a run: the what-if engine's admin API (`npm run what-if -- serve`, docs/what-if.md). */
export const whatIfRelaySettings = envSettings({
  WHAT_IF_URL: z.url({ message: "must be the what-if engine's base URL, e.g. http://127.0.0.1:3090" }).optional(),
  WHAT_IF_ADMIN_TOKEN: z.string().min(16, { message: 'must be the token the what-if engine was started with (16+ characters)' }).optional(),
  // A month of leads takes tens of seconds per run, minutes on a busy machine: the page waits longer than routing's dry-run.
  WHAT_IF_PAGE_TIMEOUT_MS: z.coerce.number({ message: 'must be milliseconds' }).int().positive().default(900_000),
});

export interface WhatIfRelaySettings {
  readonly url: string | undefined;
  readonly adminToken: string | undefined;
  readonly timeoutMs: number;
}

/** What the page posts: the candidate policy (YAML or JSON text), the period (days or ISO instants) and an optional team. */
export const whatIfPageRequest = z.object(
  {
    policy: z.string({ message: 'must be the candidate policy as YAML text' }).refine((text) => text.trim() !== '', { message: 'is empty: paste the candidate policy' }),
    from: z.string({ message: 'must be a day (2026-10-01) or an ISO-8601 instant' }).min(1),
    to: z.string({ message: 'must be a day (2026-11-01) or an ISO-8601 instant' }).min(1),
    team: z.string().optional(),
  },
  { message: 'the body must be a JSON object { policy, from, to, team? }' },
);
export type WhatIfPageRequest = z.infer<typeof whatIfPageRequest>;

/** The engine's answer as the relay got it. */
export interface EngineAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** POSTs `body` to the engine and resolves its answer; rejects when it cannot be reached or does not answer in time. */
export type EnginePost = (url: URL, headers: Record<string, string>, body: string, timeoutMs: number) => Promise<EngineAnswer>;

/** The page's answer: the engine's HTML report, or an error that says what is wrong and what to do. */
export type WhatIfRelayResult = { readonly status: 200; readonly body: { readonly html: string } } | { readonly status: number; readonly body: { readonly statusCode: number; readonly error: string; readonly message: string } };

const REASONS: Record<number, string> = { 400: 'Bad Request', 409: 'Conflict', 429: 'Too Many Requests', 502: 'Bad Gateway', 503: 'Service Unavailable' };
const failure = (status: number, message: string): WhatIfRelayResult => ({ status, body: { statusCode: status, error: REASONS[status] ?? 'Error', message } });

/**
 * Relays the dashboard's what-if run to the engine with the admin token
 * (which the browser never sees) and turns each of the engine's answers
 * into one the page can show as it is: the HTML report, or what was wrong
 * — not configured, a broken policy (the path the validation names), an
 * empty period, a baseline that does not reproduce the log (its first
 * divergent event), a run already under way. Decides nothing about who may
 * ask: the controller has checked that the viewer is an admin.
 */
export async function relayWhatIf(settings: WhatIfRelaySettings, input: unknown, post: EnginePost): Promise<WhatIfRelayResult> {
  const { url, adminToken, timeoutMs } = settings;
  if (!url || !adminToken) {
    return failure(503, 'the what-if engine is not configured: start it (`npm run what-if -- serve`) and set WHAT_IF_URL and WHAT_IF_ADMIN_TOKEN on reporting (docs/what-if.md)');
  }
  const parsed = whatIfPageRequest.safeParse(input);
  if (!parsed.success) return failure(400, parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')} ${i.message}` : i.message)).join('; '));
  const { policy, from, to, team } = parsed.data;
  const body = JSON.stringify({ policy, from, to, ...(team ? { team } : {}) });
  let answer: EngineAnswer;
  try {
    answer = await post(new URL('/admin/what-if', url), { 'content-type': 'application/json', accept: 'text/html', authorization: `Bearer ${adminToken}` }, body, timeoutMs);
  } catch (error) {
    return failure(503, `the what-if engine did not answer at ${url} (${(error as Error).message}); check that it runs (\`npm run what-if -- serve\`) and try again`);
  }
  if (answer.status === 200 && answer.contentType.startsWith('text/html')) return { status: 200, body: { html: answer.body } };
  const message = engineError(answer.body);
  if (answer.status === 401) return failure(502, `the what-if engine refused reporting's WHAT_IF_ADMIN_TOKEN: set it to the token the engine was started with`);
  // The engine's own refusals (a broken policy, a bad or empty period, a diverging baseline, a run under way) go to the page as they are.
  if (answer.status === 400 || answer.status === 409 || answer.status === 429) return failure(answer.status, message ?? `the what-if engine answered ${answer.status}`);
  return failure(502, `the what-if engine failed (HTTP ${answer.status})${message ? `: ${message}` : ''}`);
}

function engineError(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    return typeof parsed.error === 'string' ? parsed.error : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The engine's HTTP call. node:http, not fetch: fetch gives up on a
 * response whose headers take more than 300 s, and a month's run on a busy
 * machine can take that long before the engine answers.
 */
export const postToEngine: EnginePost = (url, headers, body, timeoutMs) =>
  new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${Math.round(timeoutMs / 1000)} s (WHAT_IF_PAGE_TIMEOUT_MS)`)), timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.end(body);
  });

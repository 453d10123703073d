import type { Policy } from '@lead-sla/policy';

/** The period a dry-run's what-if replays (ISO instants or days, as `npm run what-if` takes them) and the team it counts. */
export interface WhatIfPeriod {
  readonly from: string;
  readonly to: string;
  readonly team?: string;
}

/** The what-if engine's answer in a dry-run: its comparison, or why there is none. */
export type WhatIfEffect =
  | { readonly status: 'not_configured'; readonly message: string }
  | { readonly status: 'compared'; readonly period: WhatIfPeriod; readonly report: Record<string, unknown> }
  | { readonly status: 'failed'; readonly period: WhatIfPeriod; readonly httpStatus: number | null; readonly message: string };

export interface WhatIfEffectSettings {
  /** The what-if admin API (`npm run what-if -- serve`), e.g. http://what-if:3090; unset: dry-runs say how to get the effect. */
  readonly url: string | undefined;
  readonly adminToken: string | undefined;
  readonly timeoutMs: number;
}

export function whatIfEffectSettings(env: NodeJS.ProcessEnv): WhatIfEffectSettings {
  return { url: env.WHAT_IF_URL || undefined, adminToken: env.WHAT_IF_ADMIN_TOKEN || undefined, timeoutMs: Number(env.WHAT_IF_TIMEOUT_MS ?? 120_000) };
}

/**
 * The default period: the 30 days ending ten minutes ago. Not up to now: a
 * deadline due in the last moments may not be fired and logged yet, and the
 * what-if's baseline must reproduce every decision logged in its period.
 */
export function defaultWhatIfPeriod(now: Date): WhatIfPeriod {
  const to = new Date(now.getTime() - 10 * 60_000);
  return { from: new Date(to.getTime() - 30 * 86_400_000).toISOString(), to: to.toISOString() };
}

/**
 * Asks the what-if engine what a candidate policy would have done over a
 * recent period. The engine runs in its own process (`npm run what-if --
 * serve`, docs/what-if.md): a month's replay takes tens of seconds of CPU,
 * which routing's consumer must not wait behind, and a service never
 * imports another service's deciders.
 */
export class WhatIfEffectClient {
  constructor(private readonly settings: WhatIfEffectSettings) {}

  async effectOf(policy: Policy, period: WhatIfPeriod): Promise<WhatIfEffect> {
    const { url, adminToken, timeoutMs } = this.settings;
    if (!url || !adminToken) {
      return { status: 'not_configured', message: 'no what-if engine configured: run `npm run what-if -- serve` and set WHAT_IF_URL and WHAT_IF_ADMIN_TOKEN on routing to see what this version would have done to recent leads' };
    }
    try {
      // JSON is YAML: the engine parses the document as it parses a policy file.
      const res = await fetch(new URL('/admin/what-if', url), {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({ policy: JSON.stringify(policy), from: period.from, to: period.to, ...(period.team ? { team: period.team } : {}) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
      if (!res.ok) return { status: 'failed', period, httpStatus: res.status, message: typeof body.error === 'string' ? body.error : `the what-if engine answered HTTP ${res.status}` };
      return { status: 'compared', period, report: body };
    } catch (error) {
      return { status: 'failed', period, httpStatus: null, message: `the what-if engine at ${url} could not be reached: ${(error as Error).message}` };
    }
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { NOTIFICATIONS_CONFIG, type NotificationsConfig } from '../notifications-config';
import type { DigestContent } from './digest-content';
import type { ClaimedDigest } from './digests.repository';

export type DigestFetch = { ok: true; content: DigestContent } | { ok: false; error: string };

/**
 * Reads a digest from reporting's API (GET /api/digests/…) with the machine
 * key NOTIFY_REPORTING_API_KEY (scope `read`: reports of every team).
 */
@Injectable()
export class ReportingDigestsClient {
  constructor(@Inject(NOTIFICATIONS_CONFIG) private readonly config: NotificationsConfig) {}

  enabled(): boolean {
    return !!this.config.NOTIFY_REPORTING_URL && !!this.config.NOTIFY_REPORTING_API_KEY;
  }

  async fetch(digest: Pick<ClaimedDigest, 'kind' | 'teamId' | 'recipientId' | 'period'>): Promise<DigestFetch> {
    const base = (this.config.NOTIFY_REPORTING_URL ?? '').replace(/\/$/, '');
    const query =
      digest.kind === 'missed-sla'
        ? new URLSearchParams({ managerId: digest.recipientId, date: digest.period, team: digest.teamId ?? '' })
        : new URLSearchParams(digest.teamId === null ? { week: digest.period } : { week: digest.period, managerId: digest.recipientId, team: digest.teamId });
    const url = `${base}/api/digests/${digest.kind}?${query}`;
    try {
      const res = await fetch(url, { headers: { 'x-api-key': this.config.NOTIFY_REPORTING_API_KEY ?? '', accept: 'application/json' }, signal: AbortSignal.timeout(this.config.NOTIFY_HTTP_TIMEOUT_MS * 2) });
      if (!res.ok) return { ok: false, error: `GET ${url}: HTTP ${res.status} ${(await res.text().catch(() => '')).slice(0, 300)}` };
      const content = (await res.json()) as DigestContent;
      if (content.kind !== digest.kind) return { ok: false, error: `GET ${url}: expected a ${digest.kind} digest, got kind "${String((content as { kind?: unknown }).kind)}"` };
      return { ok: true, content };
    } catch (error) {
      return { ok: false, error: `GET ${url}: ${(error as Error).message}` };
    }
  }
}

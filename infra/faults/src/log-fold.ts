import { Client } from 'pg';
import { Topics } from '@lead-sla/contracts';
import { EventPublisher, logEnd, tailLog, type KafkaClient, type LogTail } from '@lead-sla/messaging';
import { eventsOf, makeEvent, readTopic, uniqueName, waitFor } from '@lead-sla/testing';

export const STATEFUL = ['routing', 'timer', 'disposition', 'reporting'] as const;

type LoggedEvent = ReturnType<typeof eventsOf>[number];

/**
 * The reps' dialer, as an outside system: it reads the log and calls every
 * lead as soon as it is assigned (a LeadTouched by the owner: an external
 * fact). Runs through every fault like any other client of the broker.
 */
export class Dialer {
  private consumer: LogTail | null = null;
  private readonly publisher: EventPublisher;
  /** Assignment event ids already answered with a touch. */
  readonly touched = new Set<string>();
  readonly calledLeads = new Set<string>();
  /** Leads whose first assignment the reps let pass without a call (later owners call at once). */
  private readonly unanswered = new Set<string>();
  /**
   * Milliseconds added to the host's time in each call's occurredAt: a dialer
   * on the same (offset) clock as the services it calls for (the DST case).
   */
  clockOffsetMs = 0;

  constructor(private readonly kafka: KafkaClient) {
    this.publisher = new EventPublisher(kafka);
  }

  async start(): Promise<void> {
    await this.publisher.connect();
    this.consumer = await tailLog(this.kafka, { topics: [Topics.leadEvents], groupId: uniqueName('dialer'), fromBeginning: false, retries: 50 }, async ({ partition, records }) => {
      const assigned = eventsOf(records.map((m) => ({ key: m.key?.toString() ?? null, value: m.value?.toString() ?? '', headers: {}, partition, offset: m.offset })))
        .filter((e) => e.type === 'LeadAssigned' && !this.touched.has(e.eventId));
      for (const e of assigned) this.touched.add(e.eventId);
      const calls = assigned.filter((e) => !this.unanswered.delete(e.leadId!));
      if (calls.length > 0) await this.publisher.publish(calls.map((e) => touchOf(e.leadId!, e.data.repId as string, new Date(Date.now() + this.clockOffsetMs).toISOString())));
      for (const e of calls) this.calledLeads.add(e.leadId!);
    });
  }

  /** The first owner of each of these leads does not call it. */
  leaveUnanswered(leadIds: readonly string[]): void {
    for (const id of leadIds) this.unanswered.add(id);
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.publisher.disconnect();
  }
}

export const touchOf = (leadId: string, repId: string, occurredAt?: string) =>
  makeEvent('LeadTouched', leadId, { repId, channel: 'phone', direction: 'outbound', personal: true, automated: false }, occurredAt ? { occurredAt } : {});

async function withDb<T>(url: string, work: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return await work(c);
  } finally {
    await c.end();
  }
}

/** The rows of one query on a connection of its own (Postgres may have been restarted since the last one). */
export function queryRows<R = Record<string, unknown>>(databaseUrl: string, sql: string, params: unknown[] = []): Promise<R[]> {
  return withDb(databaseUrl, async (c) => (await c.query(sql, params)).rows as R[]);
}

/** Every stateful service has applied the whole log, published its outbox and has no deadline due soon, for 3 s in a row. */
export async function quiescent(kafka: KafkaClient, databaseUrl: string, timeoutMs = 180_000): Promise<number> {
  const started = Date.now();
  let stableSince = 0;
  await waitFor(
    async () => {
      const end = await logEnd(kafka, Topics.leadEvents);
      const settled = await withDb(databaseUrl, async (c) => {
        for (const schema of STATEFUL) {
          const { rows } = await c.query<{ partition: number; next_offset: string }>(
            `SELECT partition, next_offset FROM "${schema}".consumer_offsets WHERE topic = $1 AND group_id = $2`,
            [Topics.leadEvents, `lead-sla.${schema}`],
          );
          const at = new Map(rows.map((r) => [r.partition, BigInt(r.next_offset)]));
          if (![...end].every(([partition, high]) => high === 0n || (at.get(partition) ?? 0n) >= high)) return false;
          if (Number((await c.query(`SELECT count(*)::int AS n FROM "${schema}".outbox`)).rows[0].n) > 0) return false;
        }
        const due = (await c.query(`SELECT count(*)::int AS n FROM timer.deadlines WHERE status = 'pending' AND due_at < now() + interval '2 minutes'`)).rows[0].n as number;
        return due === 0;
      }).catch(() => false);
      if (!settled) {
        stableSince = 0;
        return false;
      }
      stableSince ||= Date.now();
      return Date.now() - stableSince >= 3000;
    },
    'every service to apply the whole log with nothing left to publish or fire',
    timeoutMs,
    250,
  );
  return Date.now() - started;
}

/** What folding the log against the services' state found for a set of leads. */
export interface FoldReport {
  readonly leads: number;
  /** Leads created with no LeadAssigned in the log. */
  readonly lost: string[];
  /** The same decision (type, lead, cause) published under two event ids: an effect applied twice. */
  readonly doubled: string[];
  /** Copies of one event id in the log (resends the consumers recognised). */
  readonly resends: number;
  /** Leads whose reporting row or timer state is missing. */
  readonly missingState: string[];
  /**
   * Leads whose live board row disagrees with their lead row (a board row is
   * derived from the lead row: present exactly while the lead awaits its
   * owner's first touch), across the whole reporting schema.
   */
  readonly boardMismatches: string[];
  /** SlaBreached by clock kind (first_touch, assign, …). */
  readonly breaches: Record<string, number>;
  /**
   * Each first-touch clock the case's leads started, with how long before its
   * deadline the owner's touch was made (negative: after; null: no touch)
   * and whether the clock breached.
   */
  readonly firstTouches: Array<{ leadId: string; touchMarginS: number | null; breached: boolean }>;
  readonly assignments: number;
}

/** Decisions one cause makes at most once per clock (data.clockId), so two ids for one key mean a decision made twice. */
const DECISIONS = new Set(['LeadAssigned', 'LeadQueued', 'SlaWarning', 'SlaBreached', 'SlaEscalated', 'RepRotationChanged']);

/** Every event the log holds now (all partitions, up to their end when called). */
export async function readLog(kafka: KafkaClient): Promise<Array<LoggedEvent & { recordedAt: string }>> {
  const end = await logEnd(kafka, Topics.leadEvents);
  const total = [...end.values()].reduce((a, b) => a + Number(b), 0);
  return eventsOf(await readTopic(kafka, Topics.leadEvents, (ms) => ms.length >= total, 120_000)) as Array<LoggedEvent & { recordedAt: string }>;
}

/** Reads the whole log, then checks the leads' decisions there and their rows in the services' state. */
export async function foldLog(kafka: KafkaClient, databaseUrl: string, leadIds: readonly string[]): Promise<FoldReport> {
  const all = await readLog(kafka);
  const mine = new Set(leadIds);
  const events = all.filter((e) => e.leadId !== null && mine.has(e.leadId));
  const byId = new Map<string, number>();
  for (const e of events) byId.set(e.eventId, (byId.get(e.eventId) ?? 0) + 1);
  const unique = [...new Map(events.map((e) => [e.eventId, e])).values()];
  const decisions = new Map<string, Set<string>>();
  for (const e of unique.filter((x) => DECISIONS.has(x.type))) {
    const k = `${e.type} ${e.leadId} cause=${e.causationId} clock=${String(e.data.clockId ?? '')}`;
    decisions.set(k, (decisions.get(k) ?? new Set()).add(e.eventId));
  }
  const occurred = (e: LoggedEvent) => Date.parse((e as unknown as { occurredAt: string }).occurredAt);
  const breachedClocks = new Set(unique.filter((e) => e.type === 'SlaBreached').map((e) => String(e.data.clockId)));
  const firstTouches = unique
    .filter((c) => c.type === 'SlaClockStarted' && c.data.clock === 'first_touch')
    .map((c) => {
      const math = c.data.math as { startedAt: string; deadline: string };
      const deadline = Date.parse(math.deadline);
      // From the clock's start (the assignment), not the SlaClockStarted event: a lagging timer publishes that later.
      const touches = unique.filter((t) => t.type === 'LeadTouched' && t.leadId === c.leadId && t.data.repId === c.data.ownerRepId && occurred(t) >= Date.parse(math.startedAt));
      const first = touches.length > 0 ? Math.min(...touches.map(occurred)) : null;
      return { leadId: c.leadId!, touchMarginS: first === null ? null : (deadline - first) / 1000, breached: breachedClocks.has(String(c.data.clockId)) };
    });
  const assignedLeads = new Set(unique.filter((e) => e.type === 'LeadAssigned').map((e) => e.leadId!));
  const state = await withDb(databaseUrl, async (c) => {
    const reported = new Set((await c.query<{ lead_id: string }>(`SELECT lead_id FROM reporting.lead_rows WHERE lead_id = ANY($1) AND row->>'assignedAt' IS NOT NULL`, [leadIds])).rows.map((r) => r.lead_id));
    const timed = new Set((await c.query<{ lead_id: string }>(`SELECT lead_id FROM timer.lead_timers WHERE lead_id = ANY($1)`, [leadIds])).rows.map((r) => r.lead_id));
    return leadIds.filter((id) => !reported.has(id) || !timed.has(id));
  });
  const boardMismatches = await withDb(databaseUrl, (c) => boardMismatchesIn(c));
  return {
    leads: leadIds.length,
    lost: leadIds.filter((id) => !assignedLeads.has(id)),
    doubled: [...decisions].filter(([, ids]) => ids.size > 1).map(([k]) => k),
    resends: [...byId.values()].reduce((a, n) => a + n - 1, 0),
    missingState: state,
    boardMismatches,
    breaches: unique.filter((e) => e.type === 'SlaBreached').reduce<Record<string, number>>((by, e) => ({ ...by, [String(e.data.clock)]: (by[String(e.data.clock)] ?? 0) + 1 }), {}),
    assignments: unique.filter((e) => e.type === 'LeadAssigned').length,
    firstTouches,
  };
}

/** Every lead whose board row's presence disagrees with its lead row (see FoldReport.boardMismatches). */
async function boardMismatchesIn(c: Client): Promise<string[]> {
  const { rows } = await c.query<{ lead_id: string; status: string | null; on_board: boolean }>(
    `SELECT coalesce(l.lead_id, b.lead_id) AS lead_id, l.row->>'status' AS status, b.lead_id IS NOT NULL AS on_board
       FROM reporting.lead_rows l FULL JOIN reporting.board_rows b USING (lead_id)
      WHERE (b.lead_id IS NOT NULL) IS DISTINCT FROM
            (l.row->>'status' = 'awaiting_first_touch' AND l.row->>'currentRepId' IS NOT NULL AND l.row->>'currentAssignedAt' IS NOT NULL)`,
  );
  return rows.map((r) => `${r.lead_id} (lead status ${r.status ?? 'no lead row'}, ${r.on_board ? 'on' : 'not on'} the board)`);
}

/** One lead's events in the log, in partition and offset order (for a failure's explanation). */
export async function leadHistory(kafka: KafkaClient, leadId: string): Promise<string[]> {
  const end = await logEnd(kafka, Topics.leadEvents);
  const total = [...end.values()].reduce((a, b) => a + Number(b), 0);
  const messages = await readTopic(kafka, Topics.leadEvents, (ms) => ms.length >= total, 120_000);
  return messages
    .filter((m) => m.key === leadId)
    .sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)))
    .map((m) => {
      const e = eventsOf([m])[0] as (LoggedEvent & { recordedAt?: string }) | undefined;
      return `p${m.partition}@${m.offset} ${e ? `${e.type} ${e.eventId} recorded ${e.recordedAt ?? '?'} cause ${e.causationId ?? '-'} ${JSON.stringify(e.data).slice(0, 160)}` : m.value.slice(0, 80)}`;
    });
}

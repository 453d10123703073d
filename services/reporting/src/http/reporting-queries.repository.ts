import { Inject, Injectable, Optional } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '@lead-sla/service-runtime';
import { REPORTING_SCHEMA } from '../project-events/projection-store.repository';
import type { LeadRow } from '../projections/lead-row.projection';
import type { OutOfRotationQuery } from '../reps-out-of-rotation/out-of-rotation-query.util';
import { scorecardSql, type LeadFilters, type ScorecardQuery } from '../scorecards/scorecard-cells.query';
import type { DigestRow, TeamDay } from '../digests/domain/digest-builder';

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** snake_case columns to camelCase JSON, timestamps as ISO strings. */
export function toJson(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [camel(k), v instanceof Date ? v.toISOString() : v]));
}

/** The read side of the reporting API: all its parameterised SQL over the read models. */
@Injectable()
export class ReportingQueries {
  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Optional() @Inject(REPORTING_SCHEMA) private readonly schema: string = 'reporting',
  ) {}

  async leadRow(leadId: string): Promise<LeadRow | null> {
    const [found] = await this.db.query(`SELECT row FROM "${this.schema}".lead_rows WHERE lead_id = $1`, [leadId]);
    return found ? (found.row as LeadRow) : null;
  }

  async clockInstances(leadId: string) {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT * FROM "${this.schema}".clock_instances WHERE lead_id = $1 ORDER BY coalesce((math->>'startedAt')::timestamptz, deadline), clock_id`,
      [leadId],
    );
    return rows.map(toJson);
  }

  async breachesOf(leadId: string) {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT *, day::text AS day FROM "${this.schema}".breach_rows WHERE lead_id = $1 ORDER BY occurred_at, step`,
      [leadId],
    );
    return rows.map(toJson);
  }

  /** Board rows ordered by the time that matters (deadline, else assignment), keyset-paged. */
  async board(filters: LeadFilters & { readonly tier?: string }, limit: number, after?: readonly [string, string]) {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, v: unknown) => {
      params.push(v);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filters.rep) add('owner_rep_id = ?', filters.rep);
    if (filters.team) add('team_id = ?', filters.team);
    if (filters.source) add('source = ?', filters.source);
    if (filters.segment) add('segment = ?', filters.segment);
    if (filters.tier) add('tier = ?', filters.tier);
    if (after) {
      params.push(after[0], after[1]);
      where.push(`(coalesce(deadline, assigned_at), lead_id) > ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    params.push(limit + 1);
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT *, coalesce(deadline, assigned_at) AS sort_at FROM "${this.schema}".board_rows
       ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY coalesce(deadline, assigned_at), lead_id LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit).map(toJson);
    const last = page[page.length - 1];
    const next = rows.length > limit && last ? ([last.sortAt as string, last.leadId as string] as const) : null;
    return { items: page.map(({ sortAt: _sortAt, ...r }) => r), next };
  }

  async boardRows(leadIds: readonly string[]) {
    const rows: Array<Record<string, unknown>> = await this.db.query(`SELECT * FROM "${this.schema}".board_rows WHERE lead_id = ANY($1)`, [leadIds]);
    return rows.map(toJson);
  }

  /** Scorecards over the leads created in [from, to], per key (and per day with groupBy=day). Exact percentiles. */
  async scorecards(q: ScorecardQuery) {
    const { sql, params } = scorecardSql(this.schema, q);
    const rows: Array<Record<string, unknown>> = await this.db.query(sql, params);
    return { items: rows.slice(0, q.limit).map(toJson), more: rows.length > q.limit };
  }

  /** The missed-SLA report of one UTC day: breaches (not escalation steps) with a summary. */
  async missedSla(q: { day: string; filters: { rep?: string; team?: string; clock?: string }; limit: number; offset: number }) {
    const params: unknown[] = [q.day];
    const where = [`kind = 'breach'`, 'day = $1::date'];
    const add = (column: string, v: string | undefined) => {
      if (v === undefined) return;
      params.push(v);
      where.push(`${column} = $${params.length}`);
    };
    add('owner_rep_id', q.filters.rep);
    add('team_id', q.filters.team);
    add('clock', q.filters.clock);
    const filter = where.join(' AND ');
    const [summary] = await this.db.query(
      `SELECT count(*)::int AS breaches, count(DISTINCT lead_id)::int AS leads,
              coalesce(jsonb_object_agg(clock, n) FILTER (WHERE clock IS NOT NULL), '{}') AS by_clock
       FROM (SELECT clock, lead_id, count(*) OVER (PARTITION BY clock)::int AS n FROM "${this.schema}".breach_rows WHERE ${filter}) b`,
      params,
    );
    const byRep: Array<Record<string, unknown>> = await this.db.query(
      `SELECT owner_rep_id, team_id, count(*)::int AS breaches FROM "${this.schema}".breach_rows WHERE ${filter}
       GROUP BY owner_rep_id, team_id ORDER BY breaches DESC, owner_rep_id NULLS LAST`,
      params,
    );
    const [escalations] = await this.db.query(
      `SELECT count(*)::int AS n FROM "${this.schema}".breach_rows WHERE ${filter.replace(`kind = 'breach'`, `kind = 'escalation'`)}`,
      params,
    );
    params.push(q.limit + 1, q.offset);
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT *, day::text AS day FROM "${this.schema}".breach_rows WHERE ${filter}
       ORDER BY occurred_at, lead_id, clock_id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return {
      summary: { breaches: summary.breaches as number, leads: summary.leads as number, escalationSteps: escalations.n as number, byClock: summary.by_clock as Record<string, number>, byRep: byRep.map(toJson) },
      items: rows.slice(0, q.limit).map(toJson),
      more: rows.length > q.limit,
    };
  }

  /** Each team's local day `date` in its zone, as [from, to) instants (Postgres's zone rules, exact across DST). */
  async localDays(date: string, teams: ReadonlyArray<{ teamId: string; timeZone: string }>): Promise<TeamDay[]> {
    const rows: Array<{ team_id: string; time_zone: string; from_at: Date; to_at: Date }> = await this.db.query(
      `SELECT t.team_id, t.time_zone, ($1::date::timestamp AT TIME ZONE t.time_zone) AS from_at, (($1::date + 1)::timestamp AT TIME ZONE t.time_zone) AS to_at
       FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(team_id, time_zone, n) ORDER BY t.n`,
      [date, teams.map((t) => t.teamId), teams.map((t) => t.timeZone)],
    );
    return rows.map((r) => ({ teamId: r.team_id, timeZone: r.time_zone, from: new Date(r.from_at).toISOString(), to: new Date(r.to_at).toISOString() }));
  }

  /** Breaches and ladder steps in [from, to) of the given teams (null: every team), with their lead's source: the digests' rows. */
  async digestRows(from: string, to: string, teams: readonly string[] | null): Promise<DigestRow[]> {
    const rows: Array<{ kind: 'breach' | 'escalation'; lead_id: string; clock: string; action: string | null; owner_rep_id: string | null; team_id: string | null; occurred_at: Date; deadline: Date; seconds_after_deadline: number; source: string | null }> =
      await this.db.query(
        `SELECT b.kind, b.lead_id, b.clock, b.action, b.owner_rep_id, b.team_id, b.occurred_at, b.deadline, b.seconds_after_deadline, l.source
         FROM "${this.schema}".breach_rows b LEFT JOIN "${this.schema}".lead_rows l ON l.lead_id = b.lead_id
         WHERE b.day BETWEEN ($1::timestamptz AT TIME ZONE 'UTC')::date AND ($2::timestamptz AT TIME ZONE 'UTC')::date
           AND b.occurred_at >= $1 AND b.occurred_at < $2 AND ($3::text[] IS NULL OR b.team_id = ANY($3))
         ORDER BY b.occurred_at, b.lead_id, b.clock_id, b.step`,
        [from, to, teams],
      );
    return rows.map((r) => ({
      kind: r.kind, leadId: r.lead_id, clock: r.clock, action: r.action, ownerRepId: r.owner_rep_id, teamId: r.team_id,
      occurredAt: new Date(r.occurred_at).toISOString(), deadline: new Date(r.deadline).toISOString(), secondsAfterDeadline: Number(r.seconds_after_deadline), source: r.source,
    }));
  }

  /** Reps out of rotation now (of `reps` when given), longest out first: since when, why, and the misses (lead, clock, breach time). */
  async repsOutOfRotation(q: OutOfRotationQuery, reps?: readonly string[]) {
    const params: unknown[] = [];
    const where = ['NOT in_rotation'];
    if (q.rep !== undefined) {
      params.push(q.rep);
      where.push(`rep_id = $${params.length}`);
    }
    if (reps !== undefined) {
      params.push(reps);
      where.push(`rep_id = ANY($${params.length}::text[])`);
    }
    params.push(q.limit + 1, q.offset);
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT rep_id, since AS out_since, cause, jsonb_array_length(misses)::int AS miss_count, misses, policy_version
       FROM "${this.schema}".rep_rotation WHERE ${where.join(' AND ')}
       ORDER BY since, rep_id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return { items: rows.slice(0, q.limit).map(toJson), more: rows.length > q.limit };
  }

  /**
   * Every running SLA clock (the timer started it and has not stopped it; a
   * breached one still escalating stays), most urgent first, with its lead's
   * status and attributes: the dashboard's board and unassigned queue. A
   * breached clock of an owner the lead has since left is history, not work:
   * only the current owner's clocks (and owner-less ones) are listed.
   * `team`/`rep`: the clock's team or owner (a queued lead's clock has its
   * pool's team and no owner).
   */
  async openClocks(filters: { readonly team?: string; readonly rep?: string }, limit: number) {
    const params: unknown[] = [];
    const where = ['c.outcome IS NULL', `(c.owner_rep_id IS NULL OR c.owner_rep_id = l.row->>'currentRepId')`];
    if (filters.team !== undefined) {
      params.push(filters.team);
      where.push(`c.team_id = $${params.length}`);
    }
    if (filters.rep !== undefined) {
      params.push(filters.rep);
      where.push(`c.owner_rep_id = $${params.length}`);
    }
    params.push(limit + 1);
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT c.clock_id, c.lead_id, c.clock, c.tier, c.owner_rep_id, c.team_id, c.deadline, c.warned_at, c.breached_at, c.escalation_steps,
              c.math->>'startedAt' AS started_at,
              l.row->>'status' AS lead_status, l.row->>'source' AS source, l.row->>'segment' AS segment, l.row->>'tier' AS lead_tier,
              l.row->>'currentRepId' AS current_rep_id, l.row->>'currentTeamId' AS current_team_id, (l.row->>'createdAt') AS created_at
         FROM "${this.schema}".clock_instances c LEFT JOIN "${this.schema}".lead_rows l USING (lead_id)
        WHERE ${where.join(' AND ')}
        ORDER BY c.deadline, c.lead_id, c.clock_id LIMIT $${params.length}`,
      params,
    );
    return { items: rows.slice(0, limit).map(toJson), more: rows.length > limit };
  }

  /**
   * Speed to lead (created → first owned touch) of the leads created in
   * [from, to], counted in buckets given by their lower bounds in seconds
   * (ascending from 0; the last is open-ended), plus how many have no first touch yet.
   */
  async speedToLeadDistribution(q: { from: string; to: string; filters: LeadFilters; lowerBounds: readonly number[] }) {
    const params: unknown[] = [q.from, q.to, q.lowerBounds];
    const where = ['day BETWEEN $1::date AND $2::date'];
    if (q.filters.rep !== undefined) {
      params.push(q.filters.rep);
      where.push(`rep = $${params.length}`);
    }
    if (q.filters.team !== undefined) {
      params.push(q.filters.team);
      where.push(`team = $${params.length}`);
    }
    // From the daily cells: the exact speeds (milliseconds) with their lead counts, and the leads not touched yet.
    const rows: Array<{ bucket: number | null; n: number }> = await this.db.query(
      `SELECT width_bucket((speed_ms / 1000.0)::double precision, $3::double precision[]) AS bucket, sum(leads)::int AS n
         FROM "${this.schema}".scorecard_speed_cells WHERE ${where.join(' AND ')} GROUP BY 1
       UNION ALL
       SELECT NULL, coalesce(sum(leads) - sum(first_touched), 0)::int FROM "${this.schema}".scorecard_cells WHERE ${where.join(' AND ')}`,
      params,
    );
    // width_bucket over lower bounds [b1, b2, …]: i for [b(i), b(i+1)); a negative speed (a touch dated before creation) counts in the first.
    const counts = q.lowerBounds.map(() => 0);
    let untouched = 0;
    for (const r of rows) {
      if (r.bucket === null) untouched += r.n;
      else counts[Math.max(r.bucket, 1) - 1] += r.n;
    }
    return { counts, untouched };
  }

  /** Every published policy version, newest first: who, when, why and what changed (the documents only when asked). */
  async policyHistory(q: { limit: number; offset: number; withDocuments: boolean }) {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT version, published_at, published_by, reason, previous_version, summary${q.withDocuments ? ', document' : ''}
       FROM "${this.schema}".policy_versions ORDER BY published_at DESC, version DESC LIMIT $1 OFFSET $2`,
      [q.limit + 1, q.offset],
    );
    return { items: rows.slice(0, q.limit).map(toJson), more: rows.length > q.limit };
  }
}

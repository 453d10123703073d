import { Inject, Injectable, Optional } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { DATA_SOURCE } from '@lead-sla/service-runtime';
import { REPORTING_SCHEMA } from '../project-events/projection-store.repository';
import type { LeadRow } from '../projections/lead-row.projection';
import type { OutOfRotationQuery } from '../reps-out-of-rotation/out-of-rotation-query.util';
import { scorecardSql, type LeadFilters, type ScorecardQuery } from '../scorecards/scorecard-figures.query';

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

  /** Reps out of rotation now, longest out first: since when, why, and the misses (lead, clock, breach time). */
  async repsOutOfRotation(q: OutOfRotationQuery) {
    const params: unknown[] = [];
    const where = ['NOT in_rotation'];
    if (q.rep !== undefined) {
      params.push(q.rep);
      where.push(`rep_id = $${params.length}`);
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

import { applyDecorators } from '@nestjs/common';
import { ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { ClockKind } from '@lead-sla/contracts';
import { platformSecuritySchemes, schemaOf, type ApiDescription, type JsonSchema } from '@lead-sla/service-runtime';
import { SCORECARD_CLOCKS } from '../scorecards/scorecard-cells.query';

/*
 * The reporting API's title, credentials, named schemas and the parameter
 * and answer decorators its controllers share. The routes themselves (paths,
 * methods, which are public) come from the controllers; @nestjs/swagger
 * generates the document (served at /api/openapi.json, checked in as
 * docs/openapi/reporting.openapi.json).
 */

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const str = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', description, ...extra });
const nullable = (type: string, extra: JsonSchema = {}): JsonSchema => ({ type: [type, 'null'], ...extra });
const ts = (description: string): JsonSchema => ({ ...nullable('string'), format: 'date-time', description });
const rate = (description: string): JsonSchema => ({ ...nullable('number'), minimum: 0, maximum: 1, description });
const page = (items: JsonSchema): JsonSchema => ({
  type: 'object',
  required: ['items', 'limit', 'offset', 'nextOffset'],
  properties: { items: { type: 'array', items }, limit: { type: 'integer' }, offset: { type: 'integer' }, nextOffset: nullable('integer') },
});

const camel = (s: string) => s.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
const clockFigures = Object.fromEntries(
  SCORECARD_CLOCKS.map(camel).flatMap((c) => [
    [`${c}Met`, { type: 'integer', description: `Leads whose ${c} clock was met.` }],
    [`${c}Breached`, { type: 'integer', description: `Leads whose ${c} clock breached.` }],
    [`${c}Pending`, { type: 'integer', description: `Leads whose ${c} clock still runs.` }],
    [`${c}ComplianceRate`, rate(`met / (met + breached) for ${c}.`)],
  ]),
);

const Scorecard: JsonSchema = {
  type: 'object',
  properties: {
    key: str('Rep, team, source or segment.'),
    day: str('Creation day (groupBy=day only).', { format: 'date' }),
    leads: { type: 'integer' },
    assigned: { type: 'integer' },
    assignmentSecondsAvg: nullable('number'),
    speedToLeadMedianSeconds: nullable('number', { description: 'percentile_disc(0.5) of created → first owned touch.' }),
    speedToLeadP90Seconds: nullable('number', { description: 'percentile_disc(0.9) of created → first owned touch.' }),
    firstTouched: { type: 'integer' },
    contacted: { type: 'integer' },
    contactRate: rate('contacted / leads.'),
    attempts: { type: 'integer' },
    attemptsPerLead: nullable('number'),
    ...clockFigures,
    breaches: { type: 'integer' },
    escalations: { type: 'integer' },
    fallbacks: { type: 'integer', description: 'Reassignments.' },
    leadsWithFallback: { type: 'integer' },
    reachedMql: { type: 'integer' },
    reachedSal: { type: 'integer' },
    reachedSql: { type: 'integer' },
    reachedOpportunity: { type: 'integer' },
    mqlToSalRate: rate('MQL→SAL.'),
    salToSqlRate: rate('SAL→SQL.'),
    sqlToOpportunityRate: rate('SQL→opportunity.'),
    rejected: { type: 'integer' },
    dispositioned: { type: 'integer' },
    dispositionsComplete: { type: 'integer' },
    dispositionCompleteness: rate('Complete / dispositioned.'),
    recycled: { type: 'integer' },
    recycleRate: rate('recycled / leads.'),
    recycledToSql: { type: 'integer' },
    recycleToSqlRate: rate('recycledToSql / recycled.'),
    timeToRecycleSecondsAvg: nullable('number'),
  },
};

const BoardRow: JsonSchema = {
  type: 'object',
  properties: {
    leadId: { type: 'string' },
    ownerRepId: { type: 'string' },
    teamId: nullable('string'),
    poolId: nullable('string'),
    managerId: nullable('string'),
    assignedAt: ts('When the current owner got the lead.'),
    firstAssignedAt: ts('First assignment.'),
    createdAt: ts('Creation.'),
    source: { type: 'string' },
    segment: { type: 'string' },
    territory: { type: 'string' },
    tier: { type: 'string' },
    vip: { type: 'boolean' },
    reassignmentCount: { type: 'integer' },
    deadline: ts('First-touch deadline (null until the timer published it: count up from assignedAt).'),
    clockId: nullable('string'),
    warnedAt: ts('Warning time of the current instance.'),
    breached: { type: 'boolean' },
  },
};

const Breach: JsonSchema = {
  type: 'object',
  properties: {
    breachKey: { type: 'string' },
    kind: { type: 'string', enum: ['breach', 'escalation'] },
    eventId: { type: 'string' },
    leadId: { type: 'string' },
    clockId: { type: 'string' },
    clock: { type: 'string', enum: [...ClockKind.options] },
    tier: { type: 'string' },
    step: { type: 'integer' },
    action: nullable('string'),
    lastStep: nullable('boolean'),
    ownerRepId: nullable('string'),
    teamId: nullable('string'),
    managerId: nullable('string'),
    occurredAt: ts('When it happened.'),
    day: { type: 'string', format: 'date' },
    startedAt: ts('Clock math: start.'),
    coverageStart: ts('Clock math: first covered instant.'),
    coverageMinutes: { type: 'number' },
    deadline: ts('Clock math: deadline.'),
    calendarId: { type: 'string' },
    timeZone: { type: 'string' },
    secondsAfterDeadline: { type: 'number' },
    policyVersion: { type: 'string' },
  },
};

const ClockInstance: JsonSchema = {
  type: 'object',
  properties: {
    clockId: { type: 'string' },
    leadId: { type: 'string' },
    clock: { type: 'string', enum: [...ClockKind.options] },
    tier: nullable('string'),
    ownerRepId: nullable('string'),
    teamId: nullable('string'),
    math: {
      type: ['object', 'null'],
      description: 'The inputs and result of the deadline computation.',
      properties: {
        startedAt: { type: 'string', format: 'date-time' },
        coverageStart: { type: 'string', format: 'date-time' },
        coverageMinutes: { type: 'number' },
        deadline: { type: 'string', format: 'date-time' },
        calendarId: { type: 'string' },
        timeZone: { type: 'string' },
      },
    },
    deadline: ts('The deadline.'),
    warnedAt: ts('Warning.'),
    breachedAt: ts('Breach.'),
    escalationSteps: { type: 'integer' },
    outcome: { type: ['string', 'null'], enum: ['met', 'cancelled', null] },
    stoppedAt: ts('When the timer stopped it.'),
    policyVersion: { type: 'string' },
  },
};

const RepOutOfRotation: JsonSchema = {
  type: 'object',
  required: ['repId', 'outSince', 'cause', 'missCount', 'misses', 'policyVersion'],
  properties: {
    repId: str('The rep (policy rep id).'),
    outSince: { type: 'string', format: 'date-time', description: 'When routing took the rep out of rotation.' },
    cause: { type: 'string', enum: ['sla_misses'], description: 'Why the rep is out.' },
    missCount: { type: 'integer', description: 'Misses inside the policy window that took the rep out.' },
    misses: {
      type: 'array',
      items: {
        type: 'object',
        required: ['leadId', 'clock', 'breachedAt'],
        properties: { leadId: { type: 'string' }, clock: { type: 'string' }, breachedAt: { type: 'string', format: 'date-time' } },
      },
    },
    policyVersion: str('Policy version in force when the rep was taken out.'),
  },
};

const ScorecardsPage: JsonSchema = {
  type: 'object',
  required: ['dimension', 'from', 'to', 'groupBy', 'items', 'limit', 'offset', 'nextOffset'],
  properties: {
    dimension: { type: 'string' },
    from: { type: 'string', format: 'date' },
    to: { type: 'string', format: 'date' },
    groupBy: { type: 'string' },
    ...(page(ref('Scorecard')).properties as JsonSchema),
  },
};

const BoardPage: JsonSchema = {
  type: 'object',
  required: ['serverTime', 'items', 'nextCursor'],
  properties: { serverTime: { type: 'string', format: 'date-time' }, items: { type: 'array', items: ref('BoardRow') }, nextCursor: nullable('string') },
};

const MissedSlaReport: JsonSchema = {
  type: 'object',
  required: ['day', 'summary', 'items', 'limit', 'offset', 'nextOffset'],
  properties: {
    day: { type: 'string', format: 'date' },
    summary: {
      type: 'object',
      properties: {
        breaches: { type: 'integer' },
        leads: { type: 'integer' },
        escalationSteps: { type: 'integer' },
        byClock: { type: 'object', additionalProperties: { type: 'integer' } },
        byRep: { type: 'array', items: { type: 'object', properties: { ownerRepId: nullable('string'), teamId: nullable('string'), breaches: { type: 'integer' } } } },
      },
    },
    ...(page(ref('Breach')).properties as JsonSchema),
  },
};

const MissedSlaDigest: JsonSchema = {
  type: 'object',
  required: ['kind', 'managerId', 'date', 'teams', 'totals'],
  properties: {
    kind: { const: 'missed-sla' },
    managerId: { type: 'string' },
    date: { type: 'string', format: 'date' },
    teams: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          teamId: { type: 'string' },
          timeZone: { type: 'string' },
          from: { type: 'string', format: 'date-time', description: "The local date's start in the team's zone." },
          to: { type: 'string', format: 'date-time', description: "The next local date's start (exclusive)." },
          breaches: { type: 'integer' },
          leads: { type: 'integer' },
          escalationSteps: { type: 'integer' },
          byClock: { type: 'array', items: { type: 'object', properties: { clock: { type: 'string' }, breaches: { type: 'integer' } } } },
          byRep: { type: 'array', items: { type: 'object', properties: { repId: nullable('string'), breaches: { type: 'integer' } } } },
          items: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                leadId: { type: 'string' },
                clock: { type: 'string' },
                ownerRepId: nullable('string'),
                deadline: { type: 'string', format: 'date-time' },
                occurredAt: { type: 'string', format: 'date-time' },
                minutesLate: { type: 'integer' },
              },
            },
          },
          more: { type: 'integer', description: 'Breaches not listed in items.' },
        },
      },
    },
    totals: { type: 'object', properties: { breaches: { type: 'integer' }, leads: { type: 'integer' } } },
  },
};

const FallbackReview: JsonSchema = {
  type: 'object',
  required: ['kind', 'week', 'from', 'to', 'teams', 'totals', 'byRep', 'bySource'],
  properties: {
    kind: { const: 'fallback-review' },
    week: { type: 'string' },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    teams: { ...nullable('array'), items: { type: 'string' }, description: 'The teams covered; null: every team.' },
    totals: { type: 'object', properties: { reassignments: { type: 'integer' }, leads: { type: 'integer' } } },
    byRep: { type: 'array', items: { type: 'object', properties: { repId: nullable('string'), teamId: nullable('string'), reassignments: { type: 'integer' }, leads: { type: 'integer' } } } },
    bySource: { type: 'array', items: { type: 'object', properties: { source: { type: 'string' }, reassignments: { type: 'integer' }, leads: { type: 'integer' } } } },
  },
};

const PolicyVersionsPage = page({
  type: 'object',
  required: ['version', 'publishedAt', 'publishedBy', 'reason', 'previousVersion', 'summary'],
  properties: {
    version: { type: 'string' },
    publishedAt: { type: 'string', format: 'date-time' },
    publishedBy: { type: 'object', properties: { kind: { type: 'string' }, id: { type: 'string' }, role: { type: 'string' } } },
    reason: { type: 'string' },
    previousVersion: nullable('string'),
    summary: { type: 'string' },
    document: { type: 'object' },
  },
});

const LeadTimeline: JsonSchema = {
  type: 'object',
  required: ['leadId', 'lead', 'milestones', 'deadlines', 'breaches'],
  properties: {
    leadId: { type: 'string' },
    lead: { type: 'object', description: 'The lead row without its applied event ids.' },
    milestones: { type: 'array', items: { type: 'object', properties: { at: { type: 'string', format: 'date-time' }, what: { type: 'string' }, detail: { type: 'object' } } } },
    deadlines: { type: 'array', items: ref('ClockInstance') },
    breaches: { type: 'array', items: ref('Breach') },
  },
};

const SpeedToLead: JsonSchema = {
  type: 'object',
  required: ['buckets', 'notTouchedYet'],
  properties: {
    buckets: { type: 'array', items: { type: 'object', properties: { label: { type: 'string' }, fromSeconds: { type: 'number' }, leads: { type: 'integer' } } } },
    notTouchedYet: { type: 'integer' },
  },
};

const OpenClocks: JsonSchema = {
  type: 'object',
  required: ['serverTime', 'items', 'more'],
  properties: { serverTime: { type: 'string', format: 'date-time' }, items: { type: 'array', items: { type: 'object' } }, more: { type: 'boolean' } },
};

export const reportingApi: ApiDescription = {
  title: 'Lead SLA reporting API',
  version: '1.0.0',
  description:
    'Read models of the lead SLA platform: scorecards, the awaiting-first-touch board (with a server-sent event stream), the daily missed-SLA report, reps out of rotation and lead timelines. Every 400 names the parameter. See docs/reporting.md.',
  // Every /api route but this document needs credentials: 401 without, 403 for what the caller may not read (docs/security.md).
  securitySchemes: {
    ...platformSecuritySchemes,
    session: { type: 'apiKey', in: 'cookie', name: 'lead_sla_session', description: "The dashboard's session after /auth/login (reads only)" },
  },
  schemas: {
    BadRequest: {
      type: 'object',
      required: ['statusCode', 'error', 'parameter', 'message'],
      properties: { statusCode: { const: 400 }, error: { type: 'string' }, parameter: { type: 'string' }, message: { type: 'string' } },
    },
    NotFound: { type: 'object', properties: { statusCode: { const: 404 }, message: { type: 'string' } } },
    Scorecard,
    BoardRow,
    Breach,
    ClockInstance,
    RepOutOfRotation,
    ScorecardsPage,
    BoardPage,
    MissedSlaReport,
    MissedSlaDigest,
    FallbackReview,
    RepsOutOfRotationPage: page(ref('RepOutOfRotation')),
    PolicyVersionsPage,
    LeadTimeline,
    SpeedToLead,
    OpenClocks,
  },
};

/** A 200 whose body is the named schema, plus the 400 that names the bad parameter. */
export const Answers = (schema: keyof NonNullable<typeof reportingApi.schemas> & string, description: string) =>
  applyDecorators(
    ApiResponse({ status: 200, description, schema: ref(schema) }),
    ApiResponse({ status: 400, description: 'A parameter is invalid; `parameter` names it and `message` says what is accepted.', schema: ref('BadRequest') }),
  );

export const NotFoundAnswer = (description: string) => ApiResponse({ status: 404, description, schema: ref('NotFound') });

/** A query parameter. */
export const QueryParam = (name: string, description: string, schema: JsonSchema, required = false) => ApiQuery({ name, required, description, schema: schemaOf(schema) });
/** A UTC day (YYYY-MM-DD). */
export const Day = (name: string, description: string, required = true) => QueryParam(name, description, { type: 'string', format: 'date' }, required);
/** An optional exact-match filter. */
export const Filter = (name: string, description: string) => QueryParam(name, description, { type: 'string', minLength: 1, maxLength: 200 });
/** Offset paging. */
export const Limit = (max: number, dflt: number) => QueryParam('limit', `Page size (1–${max}).`, { type: 'integer', minimum: 1, maximum: max, default: dflt });
export const Offset = () => QueryParam('offset', 'Rows to skip (use nextOffset of the previous page).', { type: 'integer', minimum: 0, default: 0 });
export const LeadIdParam = () => ApiParam({ name: 'leadId', description: 'The lead.', schema: { type: 'string' } });
export const ClockParam = () => QueryParam('clock', 'Only this clock.', { type: 'string', enum: [...ClockKind.options] });

import { ClockKind } from '@lead-sla/contracts';
import { SCORECARD_CLOCKS } from '../scorecards/scorecard-cells.query';

/**
 * The reporting API's OpenAPI 3.1 document, served at /api/openapi.json and
 * checked in as docs/openapi/reporting.openapi.json (a test keeps the two
 * equal: regenerate with `npm run reporting:openapi`).
 */
const str = (description: string, extra: Record<string, unknown> = {}) => ({ type: 'string', description, ...extra });
const q = (name: string, description: string, schema: Record<string, unknown>, required = false) => ({ name, in: 'query', required, description, schema });
const day = (name: string, description: string, required = true) => q(name, description, { type: 'string', format: 'date' }, required);
const filter = (name: string, description: string) => q(name, description, { type: 'string', minLength: 1, maxLength: 200 });
const limit = (max: number, dflt: number) => q('limit', `Page size (1–${max}).`, { type: 'integer', minimum: 1, maximum: max, default: dflt });
const offset = q('offset', 'Rows to skip (use nextOffset of the previous page).', { type: 'integer', minimum: 0, default: 0 });
const json = (schema: Record<string, unknown>, description: string) => ({ description, content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const bad = { 400: json(ref('BadRequest'), 'A parameter is invalid; `parameter` names it and `message` says what is accepted.') };
const nullable = (type: string, extra: Record<string, unknown> = {}) => ({ type: [type, 'null'], ...extra });
const ts = (description: string) => ({ ...nullable('string'), format: 'date-time', description });
const rate = (description: string) => ({ ...nullable('number'), minimum: 0, maximum: 1, description });

const camel = (s: string) => s.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase());
const clockFigures = Object.fromEntries(
  SCORECARD_CLOCKS.map(camel).flatMap((c) => [
    [`${c}Met`, { type: 'integer', description: `Leads whose ${c} clock was met.` }],
    [`${c}Breached`, { type: 'integer', description: `Leads whose ${c} clock breached.` }],
    [`${c}Pending`, { type: 'integer', description: `Leads whose ${c} clock still runs.` }],
    [`${c}ComplianceRate`, rate(`met / (met + breached) for ${c}.`)],
  ]),
);

export const reportingOpenApi = {
  openapi: '3.1.0',
  info: {
    title: 'Lead SLA reporting API',
    version: '1.0.0',
    description:
      'Read models of the lead SLA platform: scorecards, the awaiting-first-touch board (with a server-sent event stream), the daily missed-SLA report, reps out of rotation and lead timelines. Every 400 names the parameter. See docs/reporting.md.',
  },
  // Every /api route but this document needs credentials: 401 without, 403 for what the caller may not read (docs/security.md).
  security: [{ apiKey: [] }, { bearer: [] }, { session: [] }],
  paths: {
    '/api/scorecards': {
      get: {
        summary: 'Scorecards by dimension and period',
        description:
          'Figures over the leads created in [from, to] (UTC days), per key of the dimension (rep/team = first owner; on rep and team cards breaches, escalations and fallbacks count for the rep/team who held the lead when they happened), or per key and day with groupBy=day. Median and p90 are exact (percentile_disc).',
        parameters: [
          q('dimension', 'Scorecard dimension.', { type: 'string', enum: ['rep', 'team', 'source', 'segment'] }, true),
          day('from', 'First creation day (inclusive).'),
          day('to', 'Last creation day (inclusive, < 366 days after from).'),
          q('groupBy', 'One card per key over the period, or per key and day.', { type: 'string', enum: ['period', 'day'], default: 'period' }),
          filter('key', 'Only this key of the dimension.'),
          filter('rep', 'Only leads whose first owner is this rep.'),
          filter('team', 'Only leads whose first owner is in this team.'),
          filter('source', 'Only leads of this source.'),
          filter('segment', 'Only leads of this segment.'),
          limit(1000, 100),
          offset,
        ],
        responses: {
          200: json(
            {
              type: 'object',
              required: ['dimension', 'from', 'to', 'groupBy', 'items', 'limit', 'offset', 'nextOffset'],
              properties: {
                dimension: { type: 'string' },
                from: { type: 'string', format: 'date' },
                to: { type: 'string', format: 'date' },
                groupBy: { type: 'string' },
                items: { type: 'array', items: ref('Scorecard') },
                limit: { type: 'integer' },
                offset: { type: 'integer' },
                nextOffset: nullable('integer'),
              },
            },
            'Scorecards, ordered by key (and day).',
          ),
          ...bad,
        },
      },
    },
    '/api/board': {
      get: {
        summary: 'The awaiting-first-touch board',
        description: 'Open leads with an owner and no first owned touch, most urgent first (deadline, else assignment time). Keyset-paged.',
        parameters: [
          filter('team', 'Only this team.'),
          filter('rep', 'Only this owner.'),
          filter('source', 'Only this source.'),
          filter('segment', 'Only this segment.'),
          q('tier', 'Only this tier.', { type: 'string', enum: ['hot', 'warm', 'cold'] }),
          limit(500, 100),
          q('cursor', 'nextCursor of the previous page.', { type: 'string' }),
        ],
        responses: {
          200: json(
            {
              type: 'object',
              required: ['serverTime', 'items', 'nextCursor'],
              properties: { serverTime: { type: 'string', format: 'date-time' }, items: { type: 'array', items: ref('BoardRow') }, nextCursor: nullable('string') },
            },
            'One page of the board.',
          ),
          ...bad,
        },
      },
    },
    '/api/board/stream': {
      get: {
        summary: 'Board changes as server-sent events',
        description:
          'Events: `hello` {serverTime}; `changed` {serverTime, rows: BoardRow[] upserted, removed: leadId[] that left the board}; `reload` {} (fetch /api/board again).',
        responses: { 200: { description: 'An endless text/event-stream.', content: { 'text/event-stream': { schema: { type: 'string' } } } } },
      },
    },
    '/api/reports/missed-sla': {
      get: {
        summary: 'Daily missed-SLA report',
        description: 'Breaches (not escalation steps) of one UTC day, with totals per clock and per rep.',
        parameters: [
          day('day', 'The UTC day of the breaches.'),
          filter('team', 'Only breaches of this team.'),
          filter('rep', 'Only breaches of this owner.'),
          q('clock', 'Only this clock.', { type: 'string', enum: [...ClockKind.options] }),
          limit(1000, 100),
          offset,
        ],
        responses: {
          200: json(
            {
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
                items: { type: 'array', items: ref('Breach') },
                limit: { type: 'integer' },
                offset: { type: 'integer' },
                nextOffset: nullable('integer'),
              },
            },
            'The report.',
          ),
          ...bad,
        },
      },
    },
    '/api/digests/missed-sla': {
      get: {
        summary: "Daily missed-SLA digest of a manager's teams",
        description:
          "What the manager receives each morning by email and Slack (docs/notifications.md): per team, the breaches (not escalation steps) of the local date in the team's zone, per clock and per rep, the first 50 breaches in time order (`more` counts the rest) and the number of escalation steps. A manager may read their own; admins and keys with the `read` scope any.",
        parameters: [
          q('managerId', "The manager (a team's or a rep's manager in the policy in force).", { type: 'string', minLength: 1, maxLength: 200 }, true),
          day('date', "The local date reported, read in each team's zone."),
          filter('team', 'Only this one of the manager\'s teams.'),
        ],
        responses: {
          200: json(
            {
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
                      to: { type: 'string', format: 'date-time', description: 'The next local date\'s start (exclusive).' },
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
                            leadId: { type: 'string' }, clock: { type: 'string' }, ownerRepId: nullable('string'),
                            deadline: { type: 'string', format: 'date-time' }, occurredAt: { type: 'string', format: 'date-time' }, minutesLate: { type: 'integer' },
                          },
                        },
                      },
                      more: { type: 'integer', description: 'Breaches not listed in items.' },
                    },
                  },
                },
                totals: { type: 'object', properties: { breaches: { type: 'integer' }, leads: { type: 'integer' } } },
              },
            },
            'The digest.',
          ),
          ...bad,
        },
      },
    },
    '/api/digests/fallback-review': {
      get: {
        summary: 'Weekly fallback review',
        description:
          'The reassignments the escalation ladders made in an ISO week (Monday to Monday, UTC), per rep who lost the lead and per lead source (the same rows as bi.breach_v1 with action reassign). Every team for admins and `read` keys; with managerId or team, those teams (a manager may read their own).',
        parameters: [
          q('week', 'ISO week, e.g. 2026-W48.', { type: 'string', pattern: '^\\d{4}-W\\d{2}$' }, true),
          filter('managerId', "Only this manager's teams."),
          filter('team', 'Only this team.'),
        ],
        responses: {
          200: json(
            {
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
            },
            'The review.',
          ),
          ...bad,
        },
      },
    },
    '/api/reps/out-of-rotation': {
      get: {
        summary: 'Reps out of rotation',
        description:
          'Reps routing took out of the round-robin rotation (too many SLA misses inside the policy window) and no manager has reinstated yet, longest out first, with the misses that caused it. Reinstate with POST /api/reps/{repId}/reinstate on routing.',
        parameters: [filter('rep', 'Only this rep.'), filter('team', 'Only reps of this team (a manager asks for their team).'), limit(1000, 100), offset],
        responses: {
          200: json(
            {
              type: 'object',
              required: ['items', 'limit', 'offset', 'nextOffset'],
              properties: {
                items: { type: 'array', items: ref('RepOutOfRotation') },
                limit: { type: 'integer' },
                offset: { type: 'integer' },
                nextOffset: nullable('integer'),
              },
            },
            'The reps out of rotation.',
          ),
          ...bad,
        },
      },
    },
    '/v1/policies': {
      get: {
        summary: 'Policy history',
        description:
          'Every policy version published on the log, newest first: version, when, who (person, API key, or the policy file), why, the version it replaced and a one-line summary of what changed. Managers and admins. documents=true adds each whole document. Publish with POST /v1/policies on routing (docs/policy.md).',
        parameters: [
          limit(500, 50),
          offset,
          { name: 'documents', in: 'query', required: false, schema: { type: 'string', enum: ['true', 'false'] }, description: 'Include each version\'s whole document.' },
        ],
        responses: {
          200: json(
            {
              type: 'object',
              required: ['items', 'limit', 'offset', 'nextOffset'],
              properties: {
                items: {
                  type: 'array',
                  items: {
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
                  },
                },
                limit: { type: 'integer' },
                offset: { type: 'integer' },
                nextOffset: nullable('integer'),
              },
            },
            'The policy versions.',
          ),
          ...bad,
        },
      },
    },
    '/api/leads/{leadId}': {
      get: {
        summary: 'A lead row',
        description: 'Every milestone timestamp and the SLA outcome per clock (the lead-row read model, see services/reporting/src/projections/README.md).',
        parameters: [{ name: 'leadId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: json({ type: 'object' }, 'The lead row.'), 404: json(ref('NotFound'), 'No such lead.') },
      },
    },
    '/api/leads/{leadId}/timeline': {
      get: {
        summary: "A lead's whole timeline with each deadline's clock math",
        parameters: [{ name: 'leadId', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          200: json(
            {
              type: 'object',
              required: ['leadId', 'lead', 'milestones', 'deadlines', 'breaches'],
              properties: {
                leadId: { type: 'string' },
                lead: { type: 'object', description: 'The lead row without its applied event ids.' },
                milestones: { type: 'array', items: { type: 'object', properties: { at: { type: 'string', format: 'date-time' }, what: { type: 'string' }, detail: { type: 'object' } } } },
                deadlines: { type: 'array', items: ref('ClockInstance') },
                breaches: { type: 'array', items: ref('Breach') },
              },
            },
            'The timeline.',
          ),
          404: json(ref('NotFound'), 'No such lead.'),
        },
      },
    },
    '/api/scorecards/speed-to-lead': {
      get: {
        summary: 'Speed-to-lead distribution',
        description: 'Leads created in [from, to] by time from creation to the first owned touch, in fixed buckets (the dashboard chart), plus those not touched yet.',
        parameters: [day('from', 'First creation day (UTC).'), day('to', 'Last creation day (UTC), inclusive.'), filter('team', 'Only leads first owned by this team.'), filter('rep', 'Only leads first owned by this rep.')],
        responses: { 200: json({ type: 'object', required: ['buckets', 'notTouchedYet'], properties: { buckets: { type: 'array', items: { type: 'object', properties: { label: { type: 'string' }, fromSeconds: { type: 'number' }, leads: { type: 'integer' } } } }, notTouchedYet: { type: 'integer' } } }, 'The distribution.'), ...bad },
      },
    },
    '/api/clocks/open': {
      get: {
        summary: 'Every running SLA clock',
        description: "Every clock the timer started and has not stopped (assign, first touch, second touch, accept/reject, response, reply, unassigned queue, data cleanup), most urgent first, with the lead's status: the dashboard's board (clocks with an owner) and unassigned queue (without one). A manager asks with ?team=, a rep with ?rep=.",
        parameters: [filter('team', "Only clocks of this team (a queued lead's clock has its pool's team)."), filter('rep', 'Only clocks this rep owns.'), limit(5000, 1000)],
        responses: { 200: json({ type: 'object', required: ['serverTime', 'items', 'more'], properties: { serverTime: { type: 'string', format: 'date-time' }, items: { type: 'array', items: { type: 'object' } }, more: { type: 'boolean' } } }, 'The running clocks.'), ...bad },
      },
    },
    '/api/me': {
      get: {
        summary: "Who the caller is and what the dashboard offers them",
        description: "The caller's id and role, the slices of the board that are theirs, per rep whether they may act on that rep's leads, reassign them or reinstate the rep (from the one authorization table), and the policy's reject reasons and disposition codes.",
        responses: { 200: json({ type: 'object' }, 'The caller.') },
      },
    },
    '/api/openapi.json': { get: { summary: 'This document', security: [], responses: { 200: json({ type: 'object' }, 'OpenAPI 3.1.') } } },
    '/dashboard': { get: { summary: 'The dashboard web page', security: [], responses: { 200: { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } } } } },
  },
  components: {
    securitySchemes: {
      apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key from ingest with the "read" scope' },
      bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "An access token from the platform's identity provider (AUTH_ISSUER)" },
      session: { type: 'apiKey', in: 'cookie', name: 'lead_sla_session', description: "The dashboard's session after /auth/login" },
    },
    schemas: {
      BadRequest: {
        type: 'object',
        required: ['statusCode', 'error', 'parameter', 'message'],
        properties: { statusCode: { const: 400 }, error: { type: 'string' }, parameter: { type: 'string' }, message: { type: 'string' } },
      },
      NotFound: { type: 'object', properties: { statusCode: { const: 404 }, message: { type: 'string' } } },
      RepOutOfRotation: {
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
      },
      Scorecard: {
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
      },
      BoardRow: {
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
      },
      Breach: {
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
      },
      ClockInstance: {
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
      },
    },
  },
} as const;

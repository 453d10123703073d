// The dashboard's view model: pure functions from the API's answers to what
// the page shows (no DOM, no fetch, time passed in), so they are unit-tested
// (dashboard-view-model.spec.ts). Loaded as a plain script: it defines
// `LeadSlaView` on the page's global object.
'use strict';

(function (root) {
  /** What each clock is called on the page, in the order a lead meets them. */
  const CLOCK_LABELS = {
    assign: 'Assign',
    unassigned_queue: 'Queue',
    first_touch: 'First touch',
    second_touch: 'Second touch',
    accept_reject: 'Accept/reject',
    response: 'Response',
    reply_escalation: 'Reply',
    effort: 'Effort',
    data_cleanup: 'Data cleanup',
  };
  const CLOCK_ORDER = Object.keys(CLOCK_LABELS);

  const clockLabel = (kind) => CLOCK_LABELS[kind] || kind;

  /** 75 000 ms → "1:15"; 3 725 000 → "1:02:05"; 2 days and more → "2d 3h". Sign ignored. */
  function duration(ms) {
    const s = Math.floor(Math.abs(ms) / 1000);
    const d = Math.floor(s / 86400);
    if (d >= 2) return `${d}d ${Math.floor((s % 86400) / 3600)}h`;
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const r = s % 60;
    return `${h > 0 ? `${h}:` : ''}${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(r).padStart(2, '0')}`;
  }

  /**
   * A deadline's countdown at `now`: "4:59 left" (soon: under 2 minutes),
   * "0:03 overdue" once it passed. A deadline is met only by a stop recorded
   * strictly before it, so at the deadline instant itself the clock is overdue.
   */
  function countdown(deadlineIso, nowMs) {
    const left = Date.parse(deadlineIso) - nowMs;
    if (left > 0) return { text: `${duration(left)} left`, state: left < 120000 ? 'soon' : 'ok', leftMs: left };
    return { text: `${duration(left)} overdue`, state: 'late', leftMs: left };
  }

  /**
   * The open clocks (GET /api/clocks/open) as the page's two lists, one row
   * per lead: the board (leads with an owner) and the unassigned queue
   * (leads without one), each row with its clocks in lifecycle order and
   * the rows most urgent first.
   */
  function boardAndQueue(clocks) {
    const byLead = new Map();
    for (const c of clocks) {
      const row = byLead.get(c.leadId) || {
        leadId: c.leadId,
        ownerRepId: null,
        teamId: null,
        status: c.leadStatus || null,
        source: c.source || null,
        tier: c.leadTier || c.tier || null,
        createdAt: c.createdAt || null,
        clocks: [],
      };
      // The lead's current owner (reporting lists only their clocks); the clock's owner if the projection lags.
      if (!row.ownerRepId) row.ownerRepId = c.currentRepId || c.ownerRepId || null;
      if (c.teamId && !row.teamId) row.teamId = c.teamId;
      row.clocks.push({ clockId: c.clockId, clock: c.clock, deadline: c.deadline, startedAt: c.startedAt || null, breachedAt: c.breachedAt || null, escalationSteps: c.escalationSteps || 0 });
      byLead.set(c.leadId, row);
    }
    const rows = [...byLead.values()];
    for (const r of rows) {
      r.clocks.sort((a, b) => CLOCK_ORDER.indexOf(a.clock) - CLOCK_ORDER.indexOf(b.clock) || Date.parse(a.deadline) - Date.parse(b.deadline));
      r.nextDeadline = r.clocks.reduce((m, c) => Math.min(m, Date.parse(c.deadline)), Infinity);
      // A lead whose clocks are all owner-less (assign, queue) waits for an owner, even if the projection knows a past one.
      r.queued = r.clocks.every((c) => c.clock === 'unassigned_queue' || c.clock === 'assign');
      if (r.queued) r.ownerRepId = null;
    }
    const urgent = (a, b) => a.nextDeadline - b.nextDeadline || a.leadId.localeCompare(b.leadId);
    return { board: rows.filter((r) => !r.queued).sort(urgent), queue: rows.filter((r) => r.queued).sort(urgent) };
  }

  /** The rows a team/rep filter keeps (empty filter values keep everything). */
  function filterRows(rows, filter) {
    return rows.filter((r) => (!filter.team || r.teamId === filter.team) && (!filter.rep || r.ownerRepId === filter.rep));
  }

  const repOf = (me, repId) => (me && repId ? me.reps.find((r) => r.id === repId) : undefined);

  /**
   * The actions the page offers on a lead for the viewer (GET /api/me says,
   * per rep, what the one authorization table allows); the owning service
   * still decides each one.
   */
  function actionsFor(lead, me) {
    if (!me) return [];
    const owner = repOf(me, lead.ownerRepId);
    const actions = [];
    if (lead.ownerRepId ? owner && owner.reassignFrom : me.reps.some((r) => r.reassignTo)) actions.push('reassign');
    if (owner && owner.actOnLeads) actions.push('accept', 'reject', 'disposition');
    return actions;
  }

  /** The reps a lead can be handed to by the viewer: anyone but its owner; a queued lead only to reps the viewer may give it to. */
  function reassignTargets(lead, me) {
    return me.reps.filter((r) => r.id !== lead.ownerRepId && (lead.ownerRepId ? true : r.reassignTo));
  }

  const mayReinstate = (me, repId) => Boolean(repOf(me, repId) && repOf(me, repId).reinstate);

  /**
   * The clock math of one deadline in words, from the numbers the timer
   * published with it (SlaClockStarted … math): when the clock started, when
   * coverage began in which calendar, how many coverage minutes it allows.
   */
  function clockMath(math, fmt) {
    if (!math) return 'no clock math published yet';
    const at = fmt || ((iso) => iso);
    const parts = [`started ${at(math.startedAt)}`];
    if (math.coverageStart && math.coverageStart !== math.startedAt) parts.push(`coverage began ${at(math.coverageStart)} (the team was off hours)`);
    parts.push(`+ ${math.coverageMinutes} coverage minutes in calendar "${math.calendarId}" (${math.timeZone})`);
    parts.push(`= deadline ${at(math.deadline)}`);
    return parts.join(', ');
  }

  /** Per-day scorecards (groupBy=day) as chart series: one line per clock of compliance %, days on the x axis. */
  function complianceSeries(dailyCards, clocks) {
    const days = [...new Set(dailyCards.map((c) => c.day))].sort();
    const series = clocks.map((clock) => {
      const key = `${camel(clock)}ComplianceRate`;
      const data = days.map((day) => {
        const cards = dailyCards.filter((c) => c.day === day);
        // Several keys on one day: the compliance of their sum, not an average of rates.
        const met = cards.reduce((n, c) => n + (c[`${camel(clock)}Met`] || 0), 0);
        const breached = cards.reduce((n, c) => n + (c[`${camel(clock)}Breached`] || 0), 0);
        if (met + breached > 0) return Math.round((met / (met + breached)) * 1000) / 10;
        return cards.length === 1 && typeof cards[0][key] === 'number' ? Math.round(cards[0][key] * 1000) / 10 : null;
      });
      return { clock, label: clockLabel(clock), data };
    });
    return { days, series: series.filter((s) => s.data.some((v) => v !== null)) };
  }

  /** Breaches per rep, most first (scorecards by rep over the period). */
  function breachesPerRep(repCards) {
    return repCards
      .filter((c) => c.key)
      .map((c) => ({ repId: c.key, breaches: c.breaches || 0 }))
      .sort((a, b) => b.breaches - a.breaches || a.repId.localeCompare(b.repId));
  }

  // ---- the what-if page ----------------------------------------------------

  const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;
  const yamlKey = (k) => (PLAIN_KEY.test(k) ? k : JSON.stringify(k));
  const yamlScalar = (v) => (typeof v === 'string' ? JSON.stringify(v) : v === null || v === undefined ? 'null' : String(v));
  const isScalar = (v) => v === null || typeof v !== 'object';

  /**
   * A policy document (JSON, as GET /v1/policies?documents=true answers it)
   * as YAML to edit: block style, every string double-quoted (so "00:00",
   * "yes" or "1.0" stay strings), lists of plain values on one line.
   */
  function policyYaml(value, indent = '') {
    if (isScalar(value)) return `${yamlScalar(value)}\n`;
    const lines = [];
    if (Array.isArray(value)) {
      for (const item of value) {
        if (isScalar(item) || (Array.isArray(item) && item.every(isScalar))) lines.push(`${indent}- ${inline(item)}`);
        else if (Array.isArray(item)) lines.push(`${indent}-\n${policyYaml(item, `${indent}  `).trimEnd()}`);
        else {
          const body = policyYaml(item, `${indent}  `);
          lines.push(Object.keys(item).length === 0 ? `${indent}- {}` : `${indent}- ${body.slice(indent.length + 2).trimEnd()}`);
        }
      }
    } else {
      for (const [k, v] of Object.entries(value)) {
        if (v === undefined) continue;
        const empty = !isScalar(v) && (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);
        if (isScalar(v) || empty || (Array.isArray(v) && v.every(isScalar))) lines.push(`${indent}${yamlKey(k)}: ${inline(v)}`);
        else lines.push(`${indent}${yamlKey(k)}:\n${policyYaml(v, `${indent}  `).trimEnd()}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }

  function inline(v) {
    if (isScalar(v)) return yamlScalar(v);
    if (Array.isArray(v)) return `[${v.map(inline).join(', ')}]`;
    return `{${Object.entries(v).map(([k, x]) => ` ${yamlKey(k)}: ${inline(x)}`).join(',')}${Object.keys(v).length ? ' ' : ''}}`;
  }

  /** "2026-11-30T09:50", the value of a datetime-local input, for an instant (ms) in a zone `offsetMinutes` behind UTC (Date#getTimezoneOffset). */
  function localInput(ms, offsetMinutes) {
    return new Date(ms - offsetMinutes * 60000).toISOString().slice(0, 16);
  }

  /**
   * The page's default period: the 30 days ending ten minutes ago (as
   * routing's dry-run), not up to now: a deadline due in the last moments
   * may not be logged yet, and the baseline must reproduce every decision
   * logged in the period.
   */
  function whatIfPeriod(nowMs, offsetMinutes) {
    const to = nowMs - 10 * 60000;
    return { from: localInput(to - 30 * 86400000, offsetMinutes), to: localInput(to, offsetMinutes) };
  }

  /** What went wrong with a run, for the page: a headline by status and the service's message (which names the problem). */
  function whatIfProblem(status, body) {
    const message = (body && body.message) || '';
    const title = {
      400: 'The candidate policy or the period cannot be used',
      401: 'Not signed in (or the session expired): sign in again',
      403: 'Only admins can run a what-if',
      409: "The baseline does not reproduce the log, so there is no comparison",
      429: 'A what-if run is already under way: try again when it has finished',
      502: 'The what-if engine failed',
      503: 'What-if is not available',
    }[status] || `The what-if run failed (HTTP ${status})`;
    return { title, detail: message };
  }

  function camel(snake) {
    return snake.replace(/_([a-z])/g, (_, ch) => ch.toUpperCase());
  }

  root.LeadSlaView = { CLOCK_ORDER, clockLabel, duration, countdown, boardAndQueue, filterRows, actionsFor, reassignTargets, mayReinstate, clockMath, complianceSeries, breachesPerRep, policyYaml, whatIfPeriod, whatIfProblem };
})(typeof window !== 'undefined' ? window : globalThis);

// The dashboard: plain browser JS, no build step. Who the viewer is and what
// they may do comes from /api/me; the board and the queue from the running
// clocks (/api/clocks/open), refreshed every few seconds and pushed for those
// who may read every team (/api/board/stream); countdowns tick every second
// against the server clock. Actions go through reporting's /api/actions/*,
// which relays them to the owning service with the viewer's session.
'use strict';

const V = window.LeadSlaView;
const state = { me: null, skewMs: 0, board: [], queue: [], filter: { team: '', rep: '' }, charts: {}, lead: null };
const REFRESH_MS = 5000;
const CHART_CLOCKS = ['assign', 'first_touch', 'second_touch', 'accept_reject', 'unassigned_queue'];

const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, text) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};
const fmtTime = (iso) => (iso ? new Date(iso).toLocaleString([], { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' }) : '—');
const pct = (x) => (x === null || x === undefined ? '—' : `${Math.round(x * 1000) / 10}%`);
const num = (x) => (x === null || x === undefined ? '—' : String(Math.round(x * 10) / 10));
const now = () => Date.now() + state.skewMs;
const setSkew = (serverTime) => {
  if (serverTime) state.skewMs = Date.parse(serverTime) - Date.now();
};
const repName = (id) => (state.me && state.me.reps.find((r) => r.id === id)?.name) || id || '—';
const teamName = (id) => (state.me && state.me.teams.find((t) => t.id === id)?.name) || id || '—';

async function api(path) {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await res.json().catch(() => ({}));
  return { ok: res.ok, status: res.status, body };
}

/** An action, relayed by reporting to routing or disposition; answers the service's verdict or its refusal. */
async function act(path, body) {
  const res = await fetch(`/api/actions${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-lead-sla-dashboard': '1', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify(body),
  });
  const answer = await res.json().catch(() => ({}));
  return { ok: res.ok, status: res.status, body: answer };
}

function notice(text, kind = 'ok') {
  const box = $('#notice');
  box.textContent = text;
  box.className = `notice ${kind}`;
  box.hidden = false;
  clearTimeout(notice.timer);
  notice.timer = setTimeout(() => (box.hidden = true), 8000);
}

/** 401: nobody is signed in (offer the sign-in); 403: signed in, but not someone this page can serve (say why). */
function showAccess(res) {
  const box = $('#access');
  box.replaceChildren();
  box.hidden = false;
  if (res.status === 401) box.append(el('span', {}, 'Sign in to see the dashboard. '), el('a', { href: '/auth/login', id: 'sign-in' }, 'Sign in'));
  else box.append(el('span', {}, res.body.message || `refused (${res.status})`), el('span', {}, ' '), el('a', { href: '/auth/logout' }, 'Sign out'));
}

// ---- who am I, filters ----------------------------------------------------

function visibleTeams() {
  const me = state.me;
  const mine = me.scopes.filter((s) => s.team).map((s) => s.team);
  if (me.scopes.some((s) => !s.team && !s.rep)) return me.teams.map((t) => t.id);
  return mine;
}

function renderWho() {
  const me = state.me;
  const who = $('#whoami');
  who.replaceChildren(el('span', { id: 'whoami-name' }, `${me.name} · ${me.role}${me.demo ? ' (demo)' : ''}`));
  if (!me.demo) who.append(el('span', {}, ' '), el('a', { href: '/auth/logout' }, 'Sign out'));
  const teamSelect = $('#filter-team');
  const repSelect = $('#filter-rep');
  for (const t of visibleTeams()) teamSelect.append(el('option', { value: t }, teamName(t)));
  const ownOnly = me.scopes.length > 0 && me.scopes.every((s) => s.rep);
  const reps = ownOnly ? me.reps.filter((r) => r.id === me.id) : me.reps.filter((r) => visibleTeams().includes(r.teamId));
  for (const r of reps) repSelect.append(el('option', { value: r.id }, `${r.name} (${teamName(r.teamId)})`));
  // A rep sees their own leads only: no team filter to offer.
  if (ownOnly) $('#filters').hidden = true;
  const params = new URLSearchParams(location.search);
  state.filter = { team: params.get('team') || '', rep: params.get('rep') || '' };
  teamSelect.value = state.filter.team;
  repSelect.value = state.filter.rep;
  $('#filters').addEventListener('change', () => {
    state.filter = { team: teamSelect.value, rep: repSelect.value };
    const q = new URLSearchParams(Object.entries(state.filter).filter(([, v]) => v));
    history.replaceState(null, '', `/dashboard${q.toString() ? `?${q}` : ''}`);
    void refresh();
  });
}

/** The slices to ask the API for: the filter when set, else every slice that is the viewer's. */
function slices() {
  if (state.filter.rep) return [{ rep: state.filter.rep }];
  if (state.filter.team) return [{ team: state.filter.team }];
  return state.me.scopes;
}
const qs = (slice, extra = {}) => new URLSearchParams({ ...slice, ...extra }).toString();

// ---- board and queue ------------------------------------------------------

async function loadClocks() {
  const answers = await Promise.all(slices().map((s) => api(`/api/clocks/open?${qs(s, { limit: '2000' })}`)));
  const refused = answers.find((a) => !a.ok);
  if (refused) return showAccess(refused);
  const byId = new Map();
  for (const a of answers) {
    setSkew(a.body.serverTime);
    for (const c of a.body.items) byId.set(c.clockId, c);
  }
  const { board, queue } = V.boardAndQueue([...byId.values()]);
  state.board = V.filterRows(board, state.filter);
  state.queue = V.filterRows(queue, { team: state.filter.team });
  renderBoard();
  renderQueue();
}

function clockChips(clocks) {
  const cell = el('td', { class: 'clocks' });
  for (const c of clocks) {
    const chip = el('span', { class: 'chip', 'data-clock': c.clock, 'data-deadline': c.deadline, title: `${V.clockLabel(c.clock)} deadline ${fmtTime(c.deadline)}` });
    chip.append(el('span', { class: 'chip-label' }, V.clockLabel(c.clock)), el('span', { class: 'countdown', 'data-deadline': c.deadline }));
    cell.append(chip);
  }
  return cell;
}

function actionButtons(lead) {
  const cell = el('td', { class: 'actions' });
  for (const a of V.actionsFor(lead, state.me)) {
    const b = el('button', { type: 'button', class: `act act-${a}`, 'data-action': a, 'data-lead-id': lead.leadId }, { reassign: 'Reassign', accept: 'Accept', reject: 'Reject', disposition: 'Disposition' }[a]);
    b.addEventListener('click', () => openAction(a, lead));
    cell.append(b);
  }
  return cell;
}

const leadLink = (leadId) => el('a', { href: `/dashboard/leads/${encodeURIComponent(leadId)}`, class: 'lead-link' }, leadId);

function renderBoard() {
  const body = $('#board tbody');
  body.replaceChildren();
  for (const r of state.board) {
    const tr = el('tr', { 'data-lead-id': r.leadId, 'data-owner': r.ownerRepId || '' });
    const lead = el('td', { 'data-label': 'Lead' });
    lead.append(leadLink(r.leadId), el('div', { class: 'sub' }, [r.source, r.tier].filter(Boolean).join(' · ')));
    tr.append(lead, el('td', { 'data-label': 'Owner' }, repName(r.ownerRepId)), el('td', { 'data-label': 'Team' }, teamName(r.teamId)), el('td', { 'data-label': 'Status' }, (r.status || '—').replace(/_/g, ' ')));
    tr.append(clockChips(r.clocks), actionButtons(r));
    body.append(tr);
  }
  $('#board-count').textContent = String(state.board.length);
  tick();
}

function renderQueue() {
  const body = $('#queue tbody');
  body.replaceChildren();
  for (const r of state.queue) {
    const tr = el('tr', { 'data-lead-id': r.leadId });
    const lead = el('td', { 'data-label': 'Lead' });
    lead.append(leadLink(r.leadId), el('div', { class: 'sub' }, r.tier || ''));
    tr.append(lead, el('td', { 'data-label': 'Team' }, teamName(r.teamId)), el('td', { 'data-label': 'Source' }, r.source || '—'), clockChips(r.clocks), actionButtons(r));
    body.append(tr);
  }
  $('#queue-count').textContent = String(state.queue.length);
  tick();
}

function tick() {
  for (const cd of document.querySelectorAll('.countdown[data-deadline]')) {
    const c = V.countdown(cd.getAttribute('data-deadline'), now());
    cd.textContent = c.text;
    cd.closest('.chip, td').classList.toggle('late', c.state === 'late');
    cd.closest('.chip, td').classList.toggle('soon', c.state === 'soon');
  }
}

// ---- reps out of rotation -------------------------------------------------

async function loadRotation() {
  const answers = await Promise.all(slices().map((s) => api(`/api/reps/out-of-rotation?${qs(s, { limit: '1000' })}`)));
  const tbody = $('#rotation tbody');
  tbody.replaceChildren();
  const refused = answers.find((a) => !a.ok);
  if (refused) {
    tbody.append(el('tr', {}, refused.body.message));
    return;
  }
  const reps = new Map();
  for (const a of answers) for (const r of a.body.items) reps.set(r.repId, r);
  for (const r of reps.values()) {
    const tr = el('tr', { 'data-rep-id': r.repId });
    const misses = el('td', { 'data-label': 'Missed leads' });
    r.misses.forEach((m, i) => {
      if (i > 0) misses.append('; ');
      misses.append(leadLink(m.leadId), ` (${V.clockLabel(m.clock)}, ${fmtTime(m.breachedAt)})`);
    });
    const actions = el('td', { class: 'actions' });
    if (V.mayReinstate(state.me, r.repId)) {
      const b = el('button', { type: 'button', class: 'act act-reinstate', 'data-rep-id': r.repId }, 'Reinstate');
      b.addEventListener('click', () => openAction('reinstate', { repId: r.repId }));
      actions.append(b);
    }
    tr.append(el('td', { 'data-label': 'Rep' }, repName(r.repId)), el('td', { class: 'out-since', 'data-label': 'Out since' }, fmtTime(r.outSince)), el('td', { 'data-label': 'Misses' }, String(r.missCount)), misses, actions);
    tbody.append(tr);
  }
  $('#rotation-count').textContent = String(reps.size);
}

// ---- scorecards and charts --------------------------------------------------

function chart(id, config) {
  if (!window.Chart) return;
  state.charts[id]?.destroy();
  state.charts[id] = new window.Chart(document.getElementById(id), { ...config, options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options } });
}

async function loadScorecards(event) {
  if (event) event.preventDefault();
  const form = new FormData($('#scorecard-form'));
  const period = { from: form.get('from'), to: form.get('to') };
  const scope = slices();
  const [reps, daily, speed] = await Promise.all([
    Promise.all(scope.map((s) => api(`/api/scorecards?${qs(s, { ...period, dimension: 'rep', limit: '500' })}`))),
    Promise.all(scope.map((s) => api(`/api/scorecards?${qs(s, { ...period, dimension: 'team', groupBy: 'day', limit: '1000' })}`))),
    Promise.all(scope.map((s) => api(`/api/scorecards/speed-to-lead?${qs(s, period)}`))),
  ]);
  const tbody = $('#scorecards tbody');
  tbody.replaceChildren();
  const refused = [...reps, ...daily, ...speed].find((a) => !a.ok);
  if (refused) {
    tbody.append(el('tr', {}, refused.body.message));
    return;
  }
  const cards = reps.flatMap((a) => a.body.items);
  for (const s of cards) {
    const tr = el('tr', { 'data-key': s.key });
    tr.append(
      el('td', { 'data-label': 'Rep' }, repName(s.key)), el('td', { 'data-label': 'Leads' }, String(s.leads)), el('td', { 'data-label': 'First-touch compliance' }, pct(s.firstTouchComplianceRate)),
      el('td', { 'data-label': 'Speed to lead (s)' }, `${num(s.speedToLeadMedianSeconds)} / ${num(s.speedToLeadP90Seconds)}`), el('td', { 'data-label': 'Breaches' }, String(s.breaches)),
      el('td', { 'data-label': 'Fallbacks' }, String(s.fallbacks)), el('td', { 'data-label': 'Contact rate' }, pct(s.contactRate)), el('td', { 'data-label': 'MQL→SAL' }, pct(s.mqlToSalRate)),
    );
    tbody.append(tr);
  }
  const buckets = speed[0].body.buckets.map((b, i) => ({ label: b.label, leads: speed.reduce((n, a) => n + a.body.buckets[i].leads, 0) }));
  const untouched = speed.reduce((n, a) => n + a.body.notTouchedYet, 0);
  $('#speed-untouched').textContent = `${untouched} lead${untouched === 1 ? '' : 's'} of the period not touched yet.`;
  chart('chart-speed', { type: 'bar', data: { labels: buckets.map((b) => b.label), datasets: [{ label: 'leads', data: buckets.map((b) => b.leads), backgroundColor: '#3b6fd8' }] }, options: { plugins: { legend: { display: false } } } });
  const series = V.complianceSeries(daily.flatMap((a) => a.body.items), CHART_CLOCKS);
  const colours = ['#3b6fd8', '#d8843b', '#2f9e6e', '#a64ac9', '#c9404a'];
  chart('chart-compliance', {
    type: 'line',
    data: { labels: series.days, datasets: series.series.map((s, i) => ({ label: s.label, data: s.data, borderColor: colours[i % colours.length], backgroundColor: colours[i % colours.length], spanGaps: true })) },
    options: { scales: { y: { min: 0, max: 100 } } },
  });
  const breaches = V.breachesPerRep(cards).slice(0, 15);
  chart('chart-breaches', { type: 'bar', data: { labels: breaches.map((b) => repName(b.repId)), datasets: [{ label: 'breaches', data: breaches.map((b) => b.breaches), backgroundColor: '#c9404a' }] }, options: { indexAxis: 'y', plugins: { legend: { display: false } } } });
}

async function loadMissed(event) {
  if (event) event.preventDefault();
  const day = new FormData($('#missed-form')).get('day');
  const answers = await Promise.all(slices().map((s) => api(`/api/reports/missed-sla?${qs(s, { day, limit: '200' })}`)));
  const tbody = $('#missed tbody');
  tbody.replaceChildren();
  const refused = answers.find((a) => !a.ok);
  if (refused) {
    $('#missed-summary').textContent = refused.body.message;
    return;
  }
  const breaches = answers.reduce((n, a) => n + a.body.summary.breaches, 0);
  const leads = answers.reduce((n, a) => n + a.body.summary.leads, 0);
  $('#missed-summary').textContent = `${breaches} breaches on ${leads} leads.`;
  for (const b of answers.flatMap((a) => a.body.items)) {
    const tr = el('tr', { 'data-lead-id': b.leadId });
    const lead = el('td', { 'data-label': 'Lead' });
    lead.append(leadLink(b.leadId));
    tr.append(el('td', { 'data-label': 'When' }, fmtTime(b.occurredAt)), lead, el('td', { 'data-label': 'Clock' }, V.clockLabel(b.clock)), el('td', { 'data-label': 'Owner' }, repName(b.ownerRepId)), el('td', { 'data-label': 'Team' }, teamName(b.teamId)), el('td', { 'data-label': 'Deadline' }, fmtTime(b.deadline)), el('td', { 'data-label': 'Late by (s)' }, num(b.secondsAfterDeadline)));
    tbody.append(tr);
  }
}

// ---- digests and policy history (managers and admins) -----------------------

/** The ISO week ("2026-W48") of a day, as the week input and the fallback review name it. */
function isoWeek(date) {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  d.setUTCDate(d.getUTCDate() + 4 - (d.getUTCDay() || 7));
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return `${d.getUTCFullYear()}-W${String(Math.ceil(((d - yearStart) / 86400000 + 1) / 7)).padStart(2, '0')}`;
}

const countsText = (items, key, label) => items.map((x) => `${label(x[key])} ${x.breaches}`).join(', ') || '—';

async function loadDigests(event) {
  if (event) event.preventDefault();
  const form = new FormData($('#digest-form'));
  const managerId = form.get('managerId');
  const [missed, review] = await Promise.all([
    api(`/api/digests/missed-sla?${new URLSearchParams({ managerId, date: form.get('date') })}`),
    api(`/api/digests/fallback-review?${new URLSearchParams({ managerId, week: form.get('week') })}`),
  ]);
  const missedBody = $('#digest-missed tbody');
  missedBody.replaceChildren();
  if (!missed.ok) $('#digest-missed-summary').textContent = missed.body.message;
  else {
    $('#digest-missed-summary').textContent = `${missed.body.totals.breaches} breaches on ${missed.body.totals.leads} leads (${missed.body.date}, each team's local day).`;
    for (const t of missed.body.teams) {
      const tr = el('tr', { 'data-team-id': t.teamId });
      tr.append(
        el('td', { 'data-label': 'Team' }, teamName(t.teamId)),
        el('td', { 'data-label': 'Local day' }, `${fmtTime(t.from)} – ${fmtTime(t.to)} (${t.timeZone})`),
        el('td', { 'data-label': 'Breaches' }, String(t.breaches)),
        el('td', { 'data-label': 'Leads' }, String(t.leads)),
        el('td', { 'data-label': 'Escalation steps' }, String(t.escalationSteps)),
        el('td', { 'data-label': 'By clock' }, countsText(t.byClock, 'clock', V.clockLabel)),
        el('td', { 'data-label': 'By rep' }, countsText(t.byRep, 'repId', repName)),
      );
      missedBody.append(tr);
    }
  }
  const reviewBody = $('#digest-fallback tbody');
  reviewBody.replaceChildren();
  if (!review.ok) $('#digest-fallback-summary').textContent = review.body.message;
  else {
    $('#digest-fallback-summary').textContent = `${review.body.totals.reassignments} reassignments of ${review.body.totals.leads} leads in ${review.body.week}.`;
    reviewBody.replaceChildren(
      ...review.body.byRep.map((r) => row([`${repName(r.repId)} (${teamName(r.teamId)})`, r.reassignments, r.leads])),
      ...review.body.bySource.map((r) => row([`source: ${r.source}`, r.reassignments, r.leads])),
    );
  }
}

function row(cells) {
  const tr = el('tr');
  const labels = ['Rep or source', 'Reassignments', 'Leads'];
  cells.forEach((c, i) => tr.append(el('td', { 'data-label': labels[i] }, String(c))));
  return tr;
}

async function loadPolicyHistory() {
  const answer = await api('/v1/policies?limit=20');
  const tbody = $('#policy-history tbody');
  tbody.replaceChildren();
  if (!answer.ok) {
    tbody.append(el('tr', {}, answer.body.message));
    return;
  }
  for (const v of answer.body.items) {
    const by = v.publishedBy?.kind === 'policy_file' ? 'the policy file (routing, at start or on a change)' : v.publishedBy?.id ?? v.publishedBy?.kind ?? '—';
    const tr = el('tr', { 'data-version': v.version });
    tr.append(
      el('td', { 'data-label': 'Version' }, v.version),
      el('td', { 'data-label': 'Published' }, fmtTime(v.publishedAt)),
      el('td', { 'data-label': 'By' }, by),
      el('td', { 'data-label': 'Why' }, v.reason || '—'),
      el('td', { 'data-label': 'What changed' }, v.summary || (v.previousVersion ? '—' : 'first version')),
    );
    tbody.append(tr);
  }
}

/** Managers and admins see the digests and the policy history; reps do not (the API refuses them too). */
function setUpManagersPanels() {
  if (state.me.role !== 'manager' && state.me.role !== 'admin') return false;
  const managers = [...new Set(state.me.teams.map((t) => t.managerId))].filter((m) => state.me.role === 'admin' || m === state.me.id);
  const pick = $('#digest-form [name=managerId]');
  pick.replaceChildren(...managers.map((m) => el('option', { value: m }, m)));
  const today = new Date();
  $('#digest-form [name=date]').value = today.toISOString().slice(0, 10);
  $('#digest-form [name=week]').value = isoWeek(today);
  $('#digest-form').addEventListener('submit', loadDigests);
  $('#digests-section').hidden = managers.length === 0;
  $('#policy-history-section').hidden = false;
  return true;
}

// ---- actions ----------------------------------------------------------------

function field(label, control) {
  const l = el('label', { class: 'field' }, label);
  l.append(control);
  return l;
}
function select(name, options) {
  const s = el('select', { name, required: '' });
  for (const o of options) s.append(el('option', { value: o.value }, o.label));
  return s;
}

/** Opens the action's form; on confirm, sends it and says what the owning service answered. */
function openAction(kind, subject) {
  const dialog = $('#action-dialog');
  const fields = $('#action-fields');
  fields.replaceChildren();
  $('#action-error').textContent = '';
  let send;
  if (kind === 'reinstate') {
    $('#action-title').textContent = `Reinstate ${repName(subject.repId)}`;
    fields.append(field('Note (optional)', el('input', { name: 'note', maxlength: '500' })));
    send = (f) => act(`/reps/${encodeURIComponent(subject.repId)}/reinstate`, f.get('note') ? { note: f.get('note') } : {});
  } else if (kind === 'reassign') {
    $('#action-title').textContent = `Reassign ${subject.leadId}${subject.ownerRepId ? ` (now ${repName(subject.ownerRepId)})` : ' (queued)'}`;
    fields.append(field('To', select('toRepId', V.reassignTargets(subject, state.me).map((r) => ({ value: r.id, label: `${r.name} (${teamName(r.teamId)})` })))));
    fields.append(field('Note (optional)', el('input', { name: 'note', maxlength: '500' })));
    send = (f) => act(`/leads/${encodeURIComponent(subject.leadId)}/reassign`, { toRepId: f.get('toRepId'), ...(f.get('note') ? { note: f.get('note') } : {}) });
  } else if (kind === 'accept') {
    $('#action-title').textContent = `Accept ${subject.leadId} as a sales-accepted lead`;
    send = () => act(`/leads/${encodeURIComponent(subject.leadId)}/accept`, {});
  } else if (kind === 'reject') {
    $('#action-title').textContent = `Reject ${subject.leadId} back to marketing`;
    fields.append(field('Reason', select('reasonCode', state.me.rejectReasons.map((r) => ({ value: r.code, label: r.label })))));
    fields.append(field('Details', el('input', { name: 'reason', maxlength: '1000' })));
    send = (f) => act(`/leads/${encodeURIComponent(subject.leadId)}/reject`, { reasonCode: f.get('reasonCode'), ...(f.get('reason') ? { reason: f.get('reason') } : {}) });
  } else {
    $('#action-title').textContent = `Record a disposition on ${subject.leadId}`;
    fields.append(field('Code', select('code', state.me.dispositionCodes.map((c) => ({ value: c.code, label: `${c.label}${c.closes ? ' (closes)' : ''}` })))));
    fields.append(field('Reason', el('input', { name: 'reason', maxlength: '1000' })), field('Next step', el('input', { name: 'nextStep', maxlength: '1000' })));
    send = (f) => {
      const body = { repId: subject.ownerRepId, code: f.get('code') };
      for (const k of ['reason', 'nextStep']) if (f.get(k)) body[k] = f.get(k);
      return act(`/leads/${encodeURIComponent(subject.leadId)}/dispositions`, body);
    };
  }
  $('#action-form').onsubmit = async (e) => {
    e.preventDefault();
    $('#action-submit').disabled = true;
    const answer = await send(new FormData($('#action-form'))).finally(() => ($('#action-submit').disabled = false));
    if (!answer.ok) {
      $('#action-error').textContent = answer.body.message || `refused (${answer.status})`;
      return;
    }
    dialog.close();
    notice(answer.body.message || `${answer.body.type || 'request'} published (${answer.body.eventId || 'accepted'}): the service decides in a moment.`);
    setTimeout(() => void refresh(), 1000);
  };
  $('#action-cancel').onclick = () => dialog.close();
  dialog.showModal();
}

// ---- the lead page ----------------------------------------------------------

async function loadLead(leadId) {
  const res = await api(`/api/leads/${encodeURIComponent(leadId)}/timeline`);
  if (!res.ok) return showAccess(res);
  const t = res.body;
  state.lead = t;
  const l = t.lead;
  $('#lead-id').textContent = leadId;
  const facts = $('#lead-facts');
  facts.replaceChildren();
  const fact = (k, v) => facts.append(el('dt', {}, k), el('dd', {}, v));
  fact('Status', (l.status || '').replace(/_/g, ' '));
  fact('Owner', l.currentRepId ? `${repName(l.currentRepId)} (${teamName(l.currentTeamId)})` : 'nobody (queued)');
  fact('Source · segment · tier', `${l.source} · ${l.segment} · ${l.tier}${l.vip ? ' · VIP' : ''}`);
  fact('Created', fmtTime(l.createdAt));
  fact('Stage', l.stage);
  const actions = $('#lead-actions');
  actions.replaceChildren();
  const subject = { leadId, ownerRepId: l.currentRepId };
  for (const a of V.actionsFor(subject, state.me)) {
    const b = el('button', { type: 'button', class: `act act-${a}`, 'data-action': a }, { reassign: 'Reassign', accept: 'Accept', reject: 'Reject', disposition: 'Disposition' }[a]);
    b.addEventListener('click', () => openAction(a, subject));
    actions.append(b);
  }
  const tbody = $('#lead-deadlines tbody');
  tbody.replaceChildren();
  for (const d of t.deadlines) {
    const open = d.outcome === null;
    const tr = el('tr', { 'data-clock': d.clock, 'data-clock-id': d.clockId });
    const nowCell = el('td', { 'data-label': 'Now' });
    if (open) nowCell.append(el('span', { class: 'countdown', 'data-deadline': d.deadline }));
    else nowCell.textContent = '—';
    const outcome = d.breachedAt ? `breached ${fmtTime(d.breachedAt)}${d.escalationSteps ? `, ${d.escalationSteps} escalation step(s)` : ''}` : d.outcome ? `${d.outcome} ${fmtTime(d.stoppedAt)}` : 'running';
    tr.append(
      el('td', { 'data-label': 'Clock' }, V.clockLabel(d.clock)), el('td', { 'data-label': 'Owner' }, repName(d.ownerRepId)), el('td', { 'data-label': 'Deadline' }, fmtTime(d.deadline)), nowCell,
      el('td', { class: 'math', 'data-label': 'Clock math' }, V.clockMath(d.math, fmtTime)), el('td', { 'data-label': 'Outcome' }, outcome),
    );
    tbody.append(tr);
  }
  const list = $('#lead-timeline');
  list.replaceChildren();
  for (const m of t.milestones) list.append(el('li', {}, `${fmtTime(m.at)} — ${m.what}${m.detail ? ` ${describe(m.detail)}` : ''}`));
  tick();
}

function describe(detail) {
  const parts = Object.entries(detail).filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object').map(([k, v]) => `${k}: ${v}`);
  return parts.length ? `(${parts.join(', ')})` : '';
}

// ---- the what-if page (admins) ---------------------------------------------

async function loadWhatIf() {
  const form = $('#what-if-form');
  const period = V.whatIfPeriod(Date.now(), new Date().getTimezoneOffset());
  form.elements.from.value = period.from;
  form.elements.to.value = period.to;
  const team = form.elements.team;
  for (const t of state.me.teams) team.append(el('option', { value: t.id }, t.name));
  const inForce = await api('/v1/policies?limit=1&documents=true');
  const latest = inForce.ok ? inForce.body.items[0] : null;
  if (latest && latest.document) form.elements.policy.value = V.policyYaml(latest.document);
  $('#what-if-status').textContent = latest ? `Prefilled with version ${latest.version}, the policy in force. Change it, choose the period and run.` : 'No published policy found: paste the candidate policy.';
  form.addEventListener('submit', runWhatIf);
}

async function runWhatIf(event) {
  event.preventDefault();
  const form = new FormData($('#what-if-form'));
  const run = $('#what-if-run');
  const status = $('#what-if-status');
  $('#what-if-error').hidden = true;
  run.disabled = true;
  const started = Date.now();
  const ticking = setInterval(() => (status.textContent = `Running… ${Math.round((Date.now() - started) / 1000)} s (the log is replayed twice: the policy in force, then the candidate)`), 1000);
  status.textContent = 'Running…';
  try {
    const res = await fetch('/api/what-if', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-lead-sla-dashboard': '1' },
      body: JSON.stringify({ policy: form.get('policy'), from: new Date(form.get('from')).toISOString(), to: new Date(form.get('to')).toISOString(), ...(form.get('team') ? { team: form.get('team') } : {}) }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      const problem = V.whatIfProblem(res.status, body);
      $('#what-if-error-title').textContent = problem.title;
      $('#what-if-error-detail').textContent = problem.detail;
      $('#what-if-error').hidden = false;
      status.textContent = '';
      return;
    }
    // The engine's self-contained report (tables and inline SVG charts), shown in a sandbox: it runs no script.
    $('#what-if-report').srcdoc = body.html;
    $('#what-if-result').hidden = false;
    status.textContent = `Done in ${Math.round((Date.now() - started) / 1000)} s.`;
  } finally {
    clearInterval(ticking);
    run.disabled = false;
  }
}

// ---- start ------------------------------------------------------------------

const leadPath = () => {
  const m = location.pathname.match(/^\/dashboard\/leads\/([^/]+)$/);
  return m ? decodeURIComponent(m[1]) : null;
};

async function refresh() {
  const leadId = leadPath();
  if (leadId) return loadLead(leadId);
  await Promise.all([loadClocks(), loadRotation()]);
}

function connectStream() {
  // The stream carries every board row, so only those who may read every team get it; everyone else refreshes on a timer.
  if (!state.me.scopes.some((s) => !s.team && !s.rep)) return;
  const source = new EventSource('/api/board/stream');
  let pending = null;
  const soon = () => {
    if (!pending) pending = setTimeout(() => ((pending = null), void loadClocks()), 300);
  };
  source.addEventListener('hello', (e) => setSkew(JSON.parse(e.data).serverTime));
  source.addEventListener('changed', soon);
  source.addEventListener('reload', soon);
}

async function init() {
  const me = await api('/api/me');
  if (!me.ok) return showAccess(me);
  state.me = me.body;
  renderWho();
  const live = $('#live');
  live.textContent = 'live';
  live.classList.add('on');
  setInterval(tick, 1000);
  $('#what-if-link').hidden = !state.me.whatIf;
  if (location.pathname === '/dashboard/what-if') {
    $('#overview').hidden = true;
    $('#filters').hidden = true;
    if (!state.me.whatIf) return showAccess({ status: 403, body: { message: 'Only admins can run a what-if of a candidate policy.' } });
    $('#what-if-view').hidden = false;
    return loadWhatIf();
  }
  const leadId = leadPath();
  if (leadId) {
    $('#overview').hidden = true;
    $('#lead-view').hidden = false;
    $('#filters').hidden = true;
    await loadLead(leadId);
    setInterval(() => void loadLead(leadId), REFRESH_MS * 2);
    return;
  }
  const today = new Date().toISOString().slice(0, 10);
  const weekAgo = new Date(Date.now() - 13 * 86400000).toISOString().slice(0, 10);
  $('#scorecard-form [name=from]').value = weekAgo;
  $('#scorecard-form [name=to]').value = today;
  $('#missed-form [name=day]').value = today;
  $('#scorecard-form').addEventListener('submit', loadScorecards);
  $('#missed-form').addEventListener('submit', loadMissed);
  setInterval(() => void refresh(), REFRESH_MS);
  const managersPanels = setUpManagersPanels();
  const slow = () => [loadScorecards(), loadMissed(), ...(managersPanels ? [loadPolicyHistory(), ...($('#digests-section').hidden ? [] : [loadDigests()])] : [])];
  setInterval(() => void Promise.all(slow()), 30000);
  connectStream();
  await Promise.all([refresh(), ...slow()]);
}

void init();

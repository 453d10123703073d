// The dashboard: plain JS, no build step. The board comes from /api/board,
// then stays live through server-sent events (/api/board/stream); the
// countdowns tick every second in the browser, aligned on the server clock.
'use strict';

const state = { board: new Map(), skewMs: 0 };

const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, text) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};
const fmtTime = (iso) => (iso ? new Date(iso).toLocaleTimeString() : '—');
const pct = (x) => (x === null || x === undefined ? '—' : `${Math.round(x * 1000) / 10}%`);
const num = (x) => (x === null || x === undefined ? '—' : String(Math.round(x * 10) / 10));
const now = () => Date.now() + state.skewMs;

function clock(ms) {
  const s = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return `${h > 0 ? `${h}:` : ''}${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(r).padStart(2, '0')}`;
}

function setSkew(serverTime) {
  if (serverTime) state.skewMs = Date.parse(serverTime) - Date.now();
}

function sortKey(r) {
  return Date.parse(r.deadline || r.assignedAt);
}

function renderBoard() {
  const body = $('#board tbody');
  body.replaceChildren();
  const rows = [...state.board.values()].sort((a, b) => sortKey(a) - sortKey(b) || a.leadId.localeCompare(b.leadId));
  for (const r of rows) {
    const tr = el('tr', { 'data-lead-id': r.leadId });
    tr.append(el('td', {}, r.leadId), el('td', {}, r.ownerRepId), el('td', {}, r.teamId || '—'), el('td', {}, r.source), el('td', {}, r.tier), el('td', {}, fmtTime(r.assignedAt)), el('td', {}, fmtTime(r.deadline)));
    const cd = el('td', { class: 'countdown', 'data-deadline': r.deadline || '', 'data-assigned-at': r.assignedAt });
    tr.append(cd);
    body.append(tr);
  }
  $('#board-count').textContent = String(rows.length);
  tick();
}

function tick() {
  for (const td of document.querySelectorAll('td.countdown')) {
    const deadline = td.getAttribute('data-deadline');
    if (deadline) {
      const left = Date.parse(deadline) - now();
      td.textContent = left >= 0 ? `${clock(left)} left` : `${clock(left)} overdue`;
      td.className = `countdown ${left < 0 ? 'late' : left < 120000 ? 'soon' : ''}`;
    } else {
      td.textContent = `+${clock(now() - Date.parse(td.getAttribute('data-assigned-at')))} since assigned`;
      td.className = 'countdown up';
    }
  }
}

/** A manager opens /dashboard?team=<their team>, a rep /dashboard?rep=<themselves>: the board asks for that slice only. */
function boardScope() {
  const page = new URLSearchParams(location.search);
  return ['team', 'rep'].map((k) => (page.get(k) ? `&${k}=${encodeURIComponent(page.get(k))}` : '')).join('');
}

/** 401: nobody is signed in (offer the sign-in); 403: signed in, but this view is not theirs (say why). */
function showAccess(res, body) {
  const box = $('#access');
  box.replaceChildren();
  box.hidden = false;
  if (res.status === 401) {
    box.append(el('span', {}, 'Sign in to see the dashboard. '), el('a', { href: '/auth/login', id: 'sign-in' }, 'Sign in'));
  } else {
    box.append(el('span', {}, body.message ?? `refused (${res.status})`), el('span', {}, ' '), el('a', { href: '/auth/logout' }, 'Sign out'));
  }
}

async function loadBoard() {
  const all = new Map();
  let cursor = null;
  do {
    const res = await fetch(`/api/board?limit=500${boardScope()}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    const page = await res.json();
    if (!res.ok) return showAccess(res, page);
    setSkew(page.serverTime);
    for (const r of page.items) all.set(r.leadId, r);
    cursor = page.nextCursor;
  } while (cursor && all.size < 5000);
  state.board = all;
  renderBoard();
}

function connectStream() {
  const live = $('#live');
  const source = new EventSource('/api/board/stream');
  source.addEventListener('hello', (e) => {
    setSkew(JSON.parse(e.data).serverTime);
    live.textContent = 'live';
    live.classList.add('on');
    // Reload after (re)connecting so nothing changed in between is missed.
    void loadBoard();
  });
  source.addEventListener('changed', (e) => {
    const change = JSON.parse(e.data);
    setSkew(change.serverTime);
    for (const r of change.rows) state.board.set(r.leadId, r);
    for (const id of change.removed) state.board.delete(id);
    renderBoard();
  });
  source.addEventListener('reload', () => void loadBoard());
  source.onerror = () => {
    live.textContent = 'reconnecting…';
    live.classList.remove('on');
  };
}

function barChart(svg, items, value, format) {
  const width = 420;
  const bar = 18;
  const gap = 6;
  const label = 130;
  const shown = items.slice(0, 15);
  const max = Math.max(1e-9, ...shown.map((i) => value(i) ?? 0));
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(Math.max(30, shown.length * (bar + gap) + gap)));
  svg.replaceChildren();
  const ns = 'http://www.w3.org/2000/svg';
  shown.forEach((item, i) => {
    const y = gap + i * (bar + gap);
    const v = value(item);
    const t = document.createElementNS(ns, 'text');
    t.setAttribute('x', '4');
    t.setAttribute('y', String(y + bar - 5));
    t.setAttribute('font-size', '11');
    t.textContent = item.key;
    const r = document.createElementNS(ns, 'rect');
    r.setAttribute('x', String(label));
    r.setAttribute('y', String(y));
    r.setAttribute('height', String(bar));
    r.setAttribute('width', String(v === null ? 0 : Math.max(1, ((width - label - 60) * v) / max)));
    r.setAttribute('fill', '#3b6fd8');
    r.setAttribute('class', 'bar');
    const vt = document.createElementNS(ns, 'text');
    vt.setAttribute('x', String(label + (v === null ? 0 : ((width - label - 60) * v) / max) + 4));
    vt.setAttribute('y', String(y + bar - 5));
    vt.setAttribute('font-size', '11');
    vt.textContent = format(v);
    svg.append(t, r, vt);
  });
}

async function loadScorecards(event) {
  if (event) event.preventDefault();
  const form = new FormData($('#scorecard-form'));
  const params = new URLSearchParams({ dimension: form.get('dimension'), from: form.get('from'), to: form.get('to'), limit: '200' });
  const res = await fetch(`/api/scorecards?${params}`);
  const body = await res.json();
  const tbody = $('#scorecards tbody');
  tbody.replaceChildren();
  if (!res.ok) {
    tbody.append(el('tr', {}, body.message));
    return;
  }
  for (const s of body.items) {
    const tr = el('tr', { 'data-key': s.key });
    tr.append(
      el('td', {}, s.key), el('td', {}, String(s.leads)), el('td', {}, pct(s.firstTouchComplianceRate)),
      el('td', {}, `${num(s.speedToLeadMedianSeconds)} / ${num(s.speedToLeadP90Seconds)}`), el('td', {}, String(s.breaches)),
      el('td', {}, String(s.fallbacks)), el('td', {}, pct(s.contactRate)), el('td', {}, pct(s.mqlToSalRate)),
    );
    tbody.append(tr);
  }
  barChart($('#chart-compliance'), body.items, (s) => s.firstTouchComplianceRate, pct);
  barChart($('#chart-speed'), body.items, (s) => s.speedToLeadMedianSeconds, num);
}

async function loadMissed(event) {
  if (event) event.preventDefault();
  const day = new FormData($('#missed-form')).get('day');
  const res = await fetch(`/api/reports/missed-sla?day=${encodeURIComponent(day)}&limit=200`);
  const body = await res.json();
  const tbody = $('#missed tbody');
  tbody.replaceChildren();
  if (!res.ok) {
    $('#missed-summary').textContent = body.message;
    return;
  }
  const byClock = Object.entries(body.summary.byClock).map(([c, n]) => `${c}: ${n}`).join(', ');
  $('#missed-summary').textContent = `${body.summary.breaches} breaches on ${body.summary.leads} leads${byClock ? ` (${byClock})` : ''}; ${body.summary.escalationSteps} escalation steps.`;
  for (const b of body.items) {
    const tr = el('tr', { 'data-lead-id': b.leadId });
    tr.append(el('td', {}, fmtTime(b.occurredAt)), el('td', {}, b.leadId), el('td', {}, b.clock), el('td', {}, b.ownerRepId || '—'), el('td', {}, b.teamId || '—'), el('td', {}, fmtTime(b.deadline)), el('td', {}, num(b.secondsAfterDeadline)));
    tbody.append(tr);
  }
}

async function loadRotation() {
  const res = await fetch('/api/reps/out-of-rotation?limit=1000');
  const body = await res.json();
  const tbody = $('#rotation tbody');
  tbody.replaceChildren();
  if (!res.ok) {
    tbody.append(el('tr', {}, body.message));
    return;
  }
  for (const r of body.items) {
    const tr = el('tr', { 'data-rep-id': r.repId });
    const misses = r.misses.map((m) => `${m.leadId} (${m.clock}, ${fmtTime(m.breachedAt)})`).join('; ');
    tr.append(el('td', {}, r.repId), el('td', { class: 'out-since' }, new Date(r.outSince).toLocaleString()), el('td', {}, String(r.missCount)), el('td', {}, misses || '—'));
    tbody.append(tr);
  }
  $('#rotation-count').textContent = String(body.items.length);
}

function init() {
  const today = new Date().toISOString().slice(0, 10);
  const weekAgo = new Date(Date.now() - 6 * 86400000).toISOString().slice(0, 10);
  $('#scorecard-form [name=from]').value = weekAgo;
  $('#scorecard-form [name=to]').value = today;
  $('#missed-form [name=day]').value = today;
  $('#scorecard-form').addEventListener('submit', loadScorecards);
  $('#missed-form').addEventListener('submit', loadMissed);
  setInterval(tick, 1000);
  // Scorecards, the report and the rotation panel refresh every 30 s; the board is pushed.
  setInterval(() => { void loadScorecards(); void loadMissed(); void loadRotation(); }, 30000);
  connectStream();
  // Also without the stream (not signed in, or a slice of the board only): says what to do, or shows the slice.
  void loadBoard();
  void loadScorecards();
  void loadMissed();
  void loadRotation();
}

init();

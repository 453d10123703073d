import { barChartPng } from './bar-chart.util';
import type { DigestContent, FallbackReviewDigest, MissedSlaDigest } from './digest-content';

export interface RenderedEmail {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly attachments: ReadonlyArray<{ readonly filename: string; readonly content: Buffer; readonly contentType: string; readonly cid: string }>;
}

/** The chart's content id: the HTML part shows it with <img src="cid:…">. */
export const CHART_CID = 'chart@lead-sla';

const esc = (s: unknown) => String(s ?? '—').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function table(headers: readonly string[], rows: ReadonlyArray<readonly unknown[]>): { html: string; text: string } {
  const th = headers.map((h) => `<th style="text-align:left;padding:4px 8px;border-bottom:1px solid #cbd5e1">${esc(h)}</th>`).join('');
  const tr = rows.map((r) => `<tr>${r.map((c) => `<td style="padding:4px 8px;border-bottom:1px solid #e2e8f0">${esc(c)}</td>`).join('')}</tr>`).join('');
  const text = [headers.join(' | '), ...rows.map((r) => r.map((c) => String(c ?? '—')).join(' | '))].join('\n');
  return { html: `<table style="border-collapse:collapse;font:14px sans-serif">${th ? `<tr>${th}</tr>` : ''}${tr}</table>`, text };
}

/** The one-line summary (Slack's first line, the email subject). */
export function digestHeadline(d: DigestContent): string {
  if (d.kind === 'missed-sla') {
    return `Missed SLAs on ${d.date}: ${d.totals.breaches} breach${d.totals.breaches === 1 ? '' : 'es'} on ${d.totals.leads} lead${d.totals.leads === 1 ? '' : 's'} (${d.teams.map((t) => t.teamId).join(', ') || 'no team'})`;
  }
  return `Fallback review, week ${d.week}: ${d.totals.reassignments} reassignment${d.totals.reassignments === 1 ? '' : 's'} of ${d.totals.leads} lead${d.totals.leads === 1 ? '' : 's'}${d.teams ? ` (${d.teams.join(', ')})` : ''}`;
}

/** The bars of the chart: breaches per rep, or reassignments per rep (the order of the per-rep table). */
function chartValues(d: DigestContent): number[] {
  return d.kind === 'missed-sla' ? perRep(d).map((r) => r.breaches) : d.byRep.map((r) => r.reassignments);
}

function perRep(d: MissedSlaDigest): Array<{ teamId: string; repId: string | null; breaches: number }> {
  return d.teams.flatMap((t) => t.byRep.map((r) => ({ teamId: t.teamId, ...r })));
}

function missedSlaSections(d: MissedSlaDigest): { html: string; text: string } {
  const reps = table(['Team', 'Rep', 'Breaches'], perRep(d).map((r) => [r.teamId, r.repId ?? '(unassigned queue)', r.breaches]));
  const parts = d.teams.map((t) => {
    const clocks = table(['Clock', 'Breaches'], t.byClock.map((c) => [c.clock, c.breaches]));
    const items = table(['Lead', 'Clock', 'Owner', 'Deadline', 'Minutes late'], t.items.map((i) => [i.leadId, i.clock, i.ownerRepId ?? '(queue)', i.deadline, i.minutesLate]));
    const head = `${t.teamId} (${t.timeZone}, ${t.from} to ${t.to}): ${t.breaches} breaches on ${t.leads} leads, ${t.escalationSteps} escalation steps`;
    const more = t.more > 0 ? `… and ${t.more} more (see the dashboard or GET /api/reports/missed-sla).` : '';
    return {
      html: `<h3 style="font:600 15px sans-serif">${esc(head)}</h3>${clocks.html}<p></p>${items.html}${more ? `<p>${esc(more)}</p>` : ''}`,
      text: `${head}\n${clocks.text}\n\n${items.text}${more ? `\n${more}` : ''}`,
    };
  });
  return {
    html: `<h3 style="font:600 15px sans-serif">Breaches per rep</h3>${reps.html}${parts.map((p) => p.html).join('')}`,
    text: `Breaches per rep\n${reps.text}\n\n${parts.map((p) => p.text).join('\n\n')}`,
  };
}

function fallbackSections(d: FallbackReviewDigest): { html: string; text: string } {
  const reps = table(['Rep who lost the lead', 'Team', 'Reassignments', 'Leads'], d.byRep.map((r) => [r.repId ?? '(none)', r.teamId, r.reassignments, r.leads]));
  const sources = table(['Source', 'Reassignments', 'Leads'], d.bySource.map((s) => [s.source, s.reassignments, s.leads]));
  return {
    html: `<h3 style="font:600 15px sans-serif">Per rep</h3>${reps.html}<h3 style="font:600 15px sans-serif">Per source</h3>${sources.html}`,
    text: `Per rep\n${reps.text}\n\nPer source\n${sources.text}`,
  };
}

/** A digest as an email: HTML with its tables and a bar chart (inline PNG by cid), and the same as plain text. */
export function renderDigestEmail(d: DigestContent): RenderedEmail {
  const headline = digestHeadline(d);
  const body = d.kind === 'missed-sla' ? missedSlaSections(d) : fallbackSections(d);
  const chartAlt = d.kind === 'missed-sla' ? 'Breaches per rep, in the order of the table' : 'Reassignments per rep, in the order of the table';
  return {
    subject: headline,
    text: `${headline}\n\n${body.text}\n`,
    html: `<!doctype html><html><body style="font:14px sans-serif;color:#0f172a"><h2 style="font:600 17px sans-serif">${esc(headline)}</h2>` +
      `<img src="cid:${CHART_CID}" alt="${esc(chartAlt)}" width="480" height="160">${body.html}</body></html>`,
    attachments: [{ filename: 'chart.png', content: barChartPng(chartValues(d)), contentType: 'image/png', cid: CHART_CID }],
  };
}

/** A digest as a Slack message: the headline and its tables in a code block (mrkdwn). */
export function renderDigestSlack(d: DigestContent): string {
  const body = d.kind === 'missed-sla' ? missedSlaSections(d) : fallbackSections(d);
  return `*${digestHeadline(d)}*\n\`\`\`\n${body.text}\n\`\`\``;
}

import type { Outcome } from '../engine/outcome';
import type { WhatIfResult } from '../engine/run-what-if';

export interface ReportHeader {
  readonly period: { readonly from: string; readonly to: string };
  readonly teamId: string | null;
  readonly baselinePolicy: string;
  readonly candidatePolicy: string;
}

/** The comparison as one JSON document (what `--json` prints and the HTML report embeds). */
export function reportJson(header: ReportHeader, result: WhatIfResult): Record<string, unknown> {
  return { ...header, baselineVersions: result.baselineVersions, exactness: result.exactness && { compared: result.exactness.compared, divergences: result.exactness.total }, events: result.events, baseline: result.baseline, candidate: result.candidate };
}

const pct = (v: number | null) => (v === null ? '–' : `${v.toFixed(1)} %`);
const num = (v: number | null) => (v === null ? '–' : String(v));
const delta = (a: number | null, b: number | null, unit = '') => (a === null || b === null ? '' : b === a ? '=' : `${b > a ? '+' : ''}${Math.round((b - a) * 10) / 10}${unit}`);

/** Rows of the side-by-side table: label, baseline, candidate, change. */
export function comparisonRows(b: Outcome, c: Outcome): string[][] {
  const rows: string[][] = [];
  for (const clock of [...new Set([...Object.keys(b.clocks), ...Object.keys(c.clocks)])].sort()) {
    const x = b.clocks[clock];
    const y = c.clocks[clock];
    rows.push([`${clock} compliance`, pct(x?.compliance ?? null), pct(y?.compliance ?? null), delta(x?.compliance ?? null, y?.compliance ?? null, ' pt')]);
    rows.push([`${clock} breaches`, num(x?.breached ?? 0), num(y?.breached ?? 0), delta(x?.breached ?? 0, y?.breached ?? 0)]);
  }
  rows.push(['assignments', num(b.assignments), num(c.assignments), delta(b.assignments, c.assignments)]);
  rows.push(['reassignments', num(b.reassignments), num(c.reassignments), delta(b.reassignments, c.reassignments)]);
  rows.push(['leads per rep: max / min', `${b.load.max} / ${b.load.min}`, `${c.load.max} / ${c.load.min}`, '']);
  rows.push(['leads per rep: spread (max − min)', num(b.load.spread), num(c.load.spread), delta(b.load.spread, c.load.spread)]);
  rows.push(['leads per rep: std deviation', num(b.load.stdDev), num(c.load.stdDev), delta(b.load.stdDev, c.load.stdDev)]);
  rows.push(['queued leads', num(b.queue.queued), num(c.queue.queued), delta(b.queue.queued, c.queue.queued)]);
  rows.push(['queue time, mean (min)', num(b.queue.meanMinutes), num(c.queue.meanMinutes), delta(b.queue.meanMinutes, c.queue.meanMinutes)]);
  rows.push(['queue time, p90 (min)', num(b.queue.p90Minutes), num(c.queue.p90Minutes), delta(b.queue.p90Minutes, c.queue.p90Minutes)]);
  rows.push(['reps taken out of rotation', num(b.leftRotation.length), num(c.leftRotation.length), delta(b.leftRotation.length, c.leftRotation.length)]);
  rows.push(['touches by someone else', num(b.touchesBySomeoneElse.count), num(c.touchesBySomeoneElse.count), delta(b.touchesBySomeoneElse.count, c.touchesBySomeoneElse.count)]);
  rows.push(['refused dispositions', num(b.refusedDispositions), num(c.refusedDispositions), delta(b.refusedDispositions, c.refusedDispositions)]);
  return rows;
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((v, i) => (i === 0 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The terminal report: the side-by-side table, then breaches by team and source, and what changed for people. */
export function reportText(header: ReportHeader, result: WhatIfResult): string {
  const { baseline: b, candidate: c } = result;
  const keys = (x: Record<string, number>, y: Record<string, number>) => [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
  const breakdown = (title: string, x: Record<string, number>, y: Record<string, number>) =>
    table([title, 'baseline', 'candidate', 'change'], keys(x, y).map((k) => [k, String(x[k] ?? 0), String(y[k] ?? 0), delta(x[k] ?? 0, y[k] ?? 0)]));
  const newlyBreached = c.firstTouchBreachedLeads.filter((l) => !b.firstTouchBreachedLeads.includes(l));
  return [
    `What-if ${header.period.from} → ${header.period.to}${header.teamId ? ` (team ${header.teamId})` : ''}: ${header.baselinePolicy} vs ${header.candidatePolicy}`,
    result.exactness ? `Baseline check: ${result.exactness.compared} decisions reproduced exactly.` : 'Baseline check: no recorded decisions to compare with.',
    '',
    table(['', 'baseline', 'candidate', 'change'], comparisonRows(b, c)),
    '',
    breakdown('breaches by team', b.breachesByTeam, c.breachesByTeam),
    '',
    breakdown('breaches by source', b.breachesBySource, c.breachesBySource),
    '',
    breakdown('leads per rep', b.leadsPerRep, c.leadsPerRep),
    '',
    `Leads whose first touch would be late only under the candidate: ${newlyBreached.length}${newlyBreached.length ? ` (${newlyBreached.slice(0, 10).join(', ')}${newlyBreached.length > 10 ? ', …' : ''})` : ''}`,
    `Reps the candidate takes out of rotation: ${c.leftRotation.length ? [...new Set(c.leftRotation.map((r) => r.repId))].join(', ') : 'none'}`,
  ].join('\n');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Grouped horizontal bars (baseline grey, candidate blue) as inline SVG: the report needs no network. */
function bars(title: string, labels: string[], a: number[], b: number[], unit = ''): string {
  const max = Math.max(1, ...a, ...b);
  const row = 34;
  const width = 640;
  const left = 170;
  const scale = (v: number) => Math.round(((width - left - 80) * v) / max);
  const items = labels
    .map((l, i) => {
      const y = 30 + i * row;
      return `<text x="${left - 8}" y="${y + 14}" text-anchor="end">${esc(l)}</text>
<rect x="${left}" y="${y}" width="${scale(a[i])}" height="12" fill="#9aa3ad"/><text x="${left + scale(a[i]) + 4}" y="${y + 10}" class="v">${a[i]}${unit}</text>
<rect x="${left}" y="${y + 14}" width="${scale(b[i])}" height="12" fill="#2f6fde"/><text x="${left + scale(b[i]) + 4}" y="${y + 24}" class="v">${b[i]}${unit}</text>`;
    })
    .join('\n');
  return `<figure><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${40 + labels.length * row}" role="img" aria-label="${esc(title)}">${items}</svg></figure>`;
}

/** A self-contained HTML report: the table, charts as inline SVG and the JSON document. */
export function reportHtml(header: ReportHeader, result: WhatIfResult): string {
  const { baseline: b, candidate: c } = result;
  const clocks = [...new Set([...Object.keys(b.clocks), ...Object.keys(c.clocks)])].sort();
  const reps = [...new Set([...Object.keys(b.leadsPerRep), ...Object.keys(c.leadsPerRep)])].sort();
  const teams = [...new Set([...Object.keys(b.breachesByTeam), ...Object.keys(c.breachesByTeam)])].sort();
  const sources = [...new Set([...Object.keys(b.breachesBySource), ...Object.keys(c.breachesBySource)])].sort();
  const rows = comparisonRows(b, c)
    .map((r) => `<tr><th>${esc(r[0])}</th><td>${esc(r[1])}</td><td>${esc(r[2])}</td><td>${esc(r[3])}</td></tr>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>What-if ${esc(header.period.from)} → ${esc(header.period.to)}</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d2430; max-width: 1400px; }
h1 { font-size: 20px; } .legend span { display: inline-block; width: 12px; height: 12px; margin: 0 4px 0 12px; vertical-align: middle; }
table { border-collapse: collapse; margin: 12px 0 24px; } th, td { padding: 4px 12px; border-bottom: 1px solid #e3e6ea; text-align: right; } th { text-align: left; font-weight: 500; }
thead th { text-align: right; } thead th:first-child { text-align: left; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; } figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: 4px; }
svg text { font-size: 12px; fill: #1d2430; } svg text.v { fill: #5b6470; font-size: 11px; }
.ok { color: #1a7f37; }
</style></head><body>
<h1>What-if: ${esc(header.period.from)} → ${esc(header.period.to)}${header.teamId ? ` · team ${esc(header.teamId)}` : ''}</h1>
<p>Baseline <b>${esc(header.baselinePolicy)}</b> (the policy in force) against candidate <b>${esc(header.candidatePolicy)}</b>, with the same leads, touches, availability and close-outs replayed at their recorded times.
${result.exactness ? `<span class="ok">Baseline check passed: ${result.exactness.compared} recorded decisions reproduced exactly.</span>` : ''}</p>
<p class="legend"><span style="background:#9aa3ad"></span>baseline <span style="background:#2f6fde"></span>candidate</p>
<table><thead><tr><th></th><th>baseline</th><th>candidate</th><th>change</th></tr></thead><tbody>
${rows}
</tbody></table>
<div class="charts">
${bars('SLA compliance per clock (%)', clocks, clocks.map((k) => b.clocks[k]?.compliance ?? 0), clocks.map((k) => c.clocks[k]?.compliance ?? 0))}
${bars('Leads per rep', reps, reps.map((r) => b.leadsPerRep[r] ?? 0), reps.map((r) => c.leadsPerRep[r] ?? 0))}
${bars('Breaches per team', teams, teams.map((t) => b.breachesByTeam[t] ?? 0), teams.map((t) => c.breachesByTeam[t] ?? 0))}
${bars('Breaches per source', sources, sources.map((s) => b.breachesBySource[s] ?? 0), sources.map((s) => c.breachesBySource[s] ?? 0))}
</div>
<details><summary>JSON</summary><pre>${esc(JSON.stringify(reportJson(header, result), null, 2))}</pre></details>
</body></html>
`;
}

import type { KafkaClient } from '@lead-sla/messaging';
import { readFileSync } from 'node:fs';
import { parsePolicy, PolicyError, type Policy } from '@lead-sla/policy';
import { runWhatIf, type WhatIfResult } from '../engine/run-what-if';
import { reportHtml, reportJson, reportText, type ReportHeader } from '../report/what-if-report';
import { readRecordedLog } from './recorded-log';

export const USAGE = 'usage: npm run what-if -- --policy candidate.yaml --from 2026-10-01 --to 2026-11-01 [--team emea-sdr] [--out report.html] [--json] [--baseline in-force.yaml (default: the versions published on the log)]';

/** A command line that cannot be run, or a policy file that cannot be used: the message says which and what to do. */
export class WhatIfUsageError extends Error {}

/** The baseline did not reproduce what the platform recorded: a comparison against it would be wrong. */
export class BaselineDivergesError extends Error {}

export interface WhatIfArgs {
  readonly policyFile: string;
  /** `--baseline`: one policy for the whole window instead of the versions published on the log; null: the log's. */
  readonly baselineFile: string | null;
  /** The policy in force before the log's first PolicyPublished (the services' POLICY_FILE). */
  readonly bootstrapFile: string;
  readonly from: number;
  readonly to: number;
  readonly fromText: string;
  readonly toText: string;
  readonly teamId: string | null;
  readonly out: string | null;
  readonly json: boolean;
}

function day(value: string | undefined, flag: string): number {
  if (value === undefined) throw new WhatIfUsageError(`${flag} is required (a day such as 2026-10-01, read as 00:00 UTC)\n${USAGE}`);
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) throw new WhatIfUsageError(`${flag} "${value}" is not a day (2026-10-01) or an ISO-8601 instant\n${USAGE}`);
  return ms;
}

/**
 * `--policy`, `--from`, `--to` and the options. The baseline defaults to the
 * versions published on the log (PolicyPublished), `bootstrapFile` (the
 * services' POLICY_FILE) before the first; `--baseline` overrides it.
 */
export function parseWhatIfArgs(argv: readonly string[], bootstrapFile: string): WhatIfArgs {
  const values: Record<string, string> = {};
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new WhatIfUsageError(`unexpected argument "${argv[i]}"\n${USAGE}`);
    const [, key, inline] = m;
    if (key === 'json') {
      flags.add(key);
      continue;
    }
    if (!['policy', 'baseline', 'from', 'to', 'team', 'out'].includes(key)) throw new WhatIfUsageError(`unknown option --${key}\n${USAGE}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new WhatIfUsageError(`--${key} needs a value\n${USAGE}`);
    values[key] = value;
  }
  if (!values.policy) throw new WhatIfUsageError(`--policy is required: the candidate policy file to try\n${USAGE}`);
  const from = day(values.from, '--from');
  const to = day(values.to, '--to');
  if (to <= from) throw new WhatIfUsageError(`--to (${values.to}) must come after --from (${values.from})`);
  return { policyFile: values.policy, baselineFile: values.baseline ?? null, bootstrapFile, from, to, fromText: values.from!, toText: values.to!, teamId: values.team ?? null, out: values.out ?? null, json: flags.has('json') };
}

/** A policy file, validated like the services validate it; the error names the file, each problem and the role. */
export function loadPolicyFile(file: string, role: 'candidate' | 'baseline'): Policy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new WhatIfUsageError(`cannot read the ${role} policy ${file}: ${(error as Error).message}`);
  }
  try {
    return parsePolicy(text, file);
  } catch (error) {
    if (error instanceof PolicyError) throw new WhatIfUsageError(`the ${role} policy is broken — ${error.message}\nfix the file and run again (the same validation as the services' startup)`);
    throw error;
  }
}

export interface WhatIfReport {
  readonly header: ReportHeader;
  readonly result: WhatIfResult;
  readonly text: string;
  readonly html: string;
  readonly json: Record<string, unknown>;
}

/**
 * The command without its process: reads the log, runs baseline and
 * candidate, refuses (BaselineDivergesError, naming the first divergent
 * decision) when the baseline does not reproduce what was recorded.
 */
export async function whatIfFromLog(kafka: KafkaClient, args: WhatIfArgs, progress: (line: string) => void): Promise<WhatIfReport> {
  const candidate = loadPolicyFile(args.policyFile, 'candidate');
  const baseline = loadPolicyFile(args.baselineFile ?? args.bootstrapFile, 'baseline');
  if (args.teamId !== null && !candidate.teams.some((t) => t.id === args.teamId)) {
    throw new WhatIfUsageError(`--team ${args.teamId}: the candidate policy has no such team (teams: ${candidate.teams.map((t) => t.id).join(', ')})`);
  }
  progress('reading lead-events.v1 …');
  const log = await readRecordedLog(kafka, args.to, (n) => progress(`read ${n} messages`));
  let result: WhatIfResult;
  const started = Date.now();
  try {
    progress(`read ${log.facts.size} facts and ${log.decisions.size} decisions${log.invalid ? ` (${log.invalid} invalid messages skipped)` : ''}`);
    result = await runWhatIf({
      facts: () => log.facts.events(),
      recorded: () => log.decisions.events(),
      baseline,
      // Without --baseline, the baseline is the log's own history of versions.
      followPublications: args.baselineFile === null,
      candidate,
      from: args.from,
      to: args.to,
      teamId: args.teamId,
      onProgress: (run, facts, at) => progress(`${run}: ${facts} facts applied, simulated time ${new Date(at).toISOString()}`),
    });
  } finally {
    log.dispose();
  }
  const seconds = (Date.now() - started) / 1000;
  progress(`simulated ${result.events.baseline + result.events.candidate} events in ${seconds.toFixed(1)} s`);
  const first = result.exactness?.divergences[0];
  const baselineName = args.baselineFile === null ? `the versions published on the log: ${describeVersions(result)}` : `${baseline.version}, ${args.baselineFile}`;
  if (first) {
    throw new BaselineDivergesError(
      `the baseline (${baselineName}) does not reproduce what the platform recorded, so no comparison is reported.\n` +
        `first divergent event: ${first.type} ${first.eventId} (lead ${first.leadId ?? '–'}, ${first.at}): ${first.problem}\n` +
        `${result.exactness!.total} divergences in ${result.exactness!.compared} decisions. ` +
        (args.baselineFile === null
          ? `If the services ran a policy the log does not hold (before their first PolicyPublished they use POLICY_FILE, here ${args.bootstrapFile}), pass it with --baseline.`
          : 'Pass the policy that was in force with --baseline, or leave it out to follow the versions published on the log.'),
    );
  }
  const header: ReportHeader = { period: { from: args.fromText, to: args.toText }, teamId: args.teamId, baselinePolicy: args.baselineFile === null ? describeVersions(result) : baseline.version, candidatePolicy: candidate.version };
  return { header, result, text: reportText(header, result), html: reportHtml(header, result), json: reportJson(header, result) };
}

/** "v1", or "v1 → v2 (2026-10-14T09:00:00.000Z)" when a version was published within the period. */
function describeVersions(result: WhatIfResult): string {
  return result.baselineVersions.map((v, i) => (i === 0 || v.since === null ? v.version : `${v.version} (${v.since})`)).join(' → ');
}

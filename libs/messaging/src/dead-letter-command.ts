import { DeadLetterSelectionError, type DeadLetterSelector } from './dead-letters';

export const DEAD_LETTER_USAGE = [
  'usage: npm run dlq -- list [--type T] [--reason SUBSTRING] [--group G] [--json]',
  '       npm run dlq -- redrive (--id <dlq-partition>:<offset> … | --type T | --reason SUBSTRING) [--group G] [--dry-run]',
].join('\n');

export type DeadLetterCommand =
  | { readonly command: 'list'; readonly selector: DeadLetterSelector; readonly json: boolean }
  | { readonly command: 'redrive'; readonly selector: DeadLetterSelector; readonly dryRun: boolean };

/** Parses the command line (after `npm run dlq --`); a mistake throws with the usage. */
export function parseDeadLetterCommand(argv: readonly string[]): DeadLetterCommand {
  const [command, ...rest] = argv;
  if (command !== 'list' && command !== 'redrive') {
    throw new DeadLetterSelectionError(`unknown command "${command ?? ''}": use list or redrive\n${DEAD_LETTER_USAGE}`);
  }
  const ids: string[] = [];
  const values: { type?: string; reason?: string; group?: string } = {};
  let json = false;
  let dryRun = false;
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i];
    const valueOf = () => {
      const value = rest[i + 1];
      if (value === undefined || value.startsWith('--')) throw new DeadLetterSelectionError(`${flag} needs a value\n${DEAD_LETTER_USAGE}`);
      i++;
      return value;
    };
    if (flag === '--type') values.type = valueOf();
    else if (flag === '--reason') values.reason = valueOf();
    else if (flag === '--group') values.group = valueOf();
    else if (flag === '--json' && command === 'list') json = true;
    else if (flag === '--dry-run' && command === 'redrive') dryRun = true;
    else if (flag === '--id' && command === 'redrive') {
      ids.push(valueOf());
      // `--id 0:1 0:2`: the ids that follow without a flag belong to it.
      while (rest[i + 1] !== undefined && !rest[i + 1].startsWith('--')) ids.push(rest[++i]);
    } else throw new DeadLetterSelectionError(`unknown option "${flag}" for ${command}\n${DEAD_LETTER_USAGE}`);
  }
  const selector: DeadLetterSelector = { ...(ids.length > 0 ? { ids } : {}), ...values };
  if (command === 'list') return { command, selector, json };
  if (ids.length === 0 && values.type === undefined && values.reason === undefined) {
    throw new DeadLetterSelectionError(`redrive needs --id, --type or --reason: re-driving every dead letter at once is never the default\n${DEAD_LETTER_USAGE}`);
  }
  return { command, selector, dryRun };
}

/** What happened to one chosen dead letter. */
export type RedriveOutcome =
  | { readonly id: string; readonly status: 'redriven'; readonly topic: string; readonly partition: number; readonly offset: string }
  | { readonly id: string; readonly status: 'would-redrive'; readonly topic: string }
  | { readonly id: string; readonly status: 'already-redriven'; readonly at: Date }
  /** Claimed by an earlier run that did not record the publish: it may or may not be on the topic. */
  | { readonly id: string; readonly status: 'in-doubt'; readonly claimedAt: Date };

export function formatRedriveOutcomes(outcomes: readonly RedriveOutcome[]): string {
  const lines = outcomes.map((o) => {
    switch (o.status) {
      case 'redriven':
        return `${o.id}  re-driven to ${o.topic}/${o.partition}@${o.offset}`;
      case 'would-redrive':
        return `${o.id}  would be re-driven to ${o.topic} (dry run: nothing published or recorded)`;
      case 'already-redriven':
        return `${o.id}  already re-driven at ${o.at.toISOString()}: not published again`;
      case 'in-doubt':
        return `${o.id}  IN DOUBT: claimed at ${o.claimedAt.toISOString()} by a run that did not record its publish; not published again (see docs/operations.md, "Dead letters")`;
    }
  });
  const count = (s: RedriveOutcome['status']) => outcomes.filter((o) => o.status === s).length;
  lines.push(
    '',
    `${count('redriven')} re-driven, ${count('would-redrive')} would be re-driven, ${count('already-redriven')} already re-driven before, ${count('in-doubt')} in doubt`,
  );
  return lines.join('\n');
}

import { parseDocument } from 'yaml';
import { PolicySchema, type Policy } from './policy.schema';

/** A policy file that cannot be used, with every problem found. */
export class PolicyError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid policy ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PolicyError';
  }
}

/** Settings that moved: a policy written for an older version is told where they went. */
function hintFor(issue: { code: string; path: PropertyKey[]; keys?: string[] }): string {
  if (issue.code !== 'unrecognized_keys' || issue.path.length > 0 || !issue.keys?.includes('admins')) return '';
  return ' ("admins" is replaced by the directory: give each admin a `directory` entry with `admin: true`, docs/security.md)';
}

/**
 * Parses and validates a policy document (YAML or JSON). Errors name the
 * source, the path inside the document and the problem.
 */
export function parsePolicy(text: string, source: string): Policy {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new PolicyError(source, doc.errors.map((e) => `YAML syntax: ${e.message.split('\n')[0]}`));
  }
  const result = PolicySchema.safeParse(doc.toJS());
  if (!result.success) {
    throw new PolicyError(
      source,
      result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(document)'}: ${i.message}${hintFor(i)}`),
    );
  }
  return result.data;
}

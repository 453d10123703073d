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
  return policyFromDocument(doc.toJS(), source);
}

/**
 * Validates a policy already parsed into data (a JSON body, the document a
 * PolicyPublished carries). Errors name the source and each path.
 */
export function policyFromDocument(document: unknown, source: string): Policy {
  const result = PolicySchema.safeParse(document);
  if (!result.success) {
    throw new PolicyError(
      source,
      result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(document)'}: ${i.message}${hintFor(i)}`),
    );
  }
  return result.data;
}

/** JSON with object keys sorted: two equal documents give the same text whatever order their keys were written in. */
export function canonicalPolicyJson(policy: Policy): string {
  return JSON.stringify(policy, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
}

/** Whether two validated policies are the same document (version included). */
export function samePolicy(a: Policy, b: Policy): boolean {
  return canonicalPolicyJson(a) === canonicalPolicyJson(b);
}

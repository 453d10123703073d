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
      result.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(document)'}: ${i.message}`),
    );
  }
  return result.data;
}

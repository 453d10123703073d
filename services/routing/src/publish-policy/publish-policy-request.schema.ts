import { z } from 'zod';
import { parsePolicy, policyFromDocument, PolicyError, type Policy } from '@lead-sla/policy';

const instant = z.string().refine((v) => !Number.isNaN(Date.parse(v)), 'must be a day (2026-10-01) or an ISO-8601 instant');

/** Body of POST /v1/policies and /v1/policies/dry-run: the document (JSON, or YAML text) and why; a dry-run may name the what-if period. */
export const PublishPolicyRequest = z
  .object({
    document: z.union([z.string().min(1, 'the YAML text is empty'), z.record(z.string(), z.unknown())]),
    reason: z.string({ error: 'say why the policy changes (it is kept in the history)' }).trim().min(1, 'say why the policy changes (it is kept in the history)').max(2000),
    whatIf: z.object({ from: instant, to: instant, team: z.string().min(1).optional() }).strict().optional(),
  })
  .strict();

export type ParsedPublishRequest =
  | { readonly ok: true; readonly policy: Policy; readonly reason: string; readonly whatIf?: { readonly from: string; readonly to: string; readonly team?: string } }
  | { readonly ok: false; readonly problems: string[] };

/**
 * Validates the body and the policy in it. Every problem names its path:
 * `body.reason: …` for the request, `document.routing.defaultPool: unknown
 * pool "x"` for the policy (YAML syntax errors say so).
 */
export function parsePublishPolicyRequest(body: unknown, options: { reasonRequired: boolean }): ParsedPublishRequest {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, problems: ['body: must be a JSON object like {"document": {…} or "<YAML text>", "reason": "…"}'] };
  }
  // Publishing takes a reason and no what-if period; a dry-run takes an optional period and no reason.
  const schema = options.reasonRequired ? PublishPolicyRequest.omit({ whatIf: true }) : PublishPolicyRequest.extend({ reason: PublishPolicyRequest.shape.reason.optional() });
  const r = schema.safeParse(body);
  if (!r.success) {
    return {
      ok: false,
      problems: r.error.issues.map((i) =>
        i.code === 'unrecognized_keys' ? `body: unknown field(s) ${i.keys.map((k) => `"${k}"`).join(', ')} (allowed: document, reason${options.reasonRequired ? '' : ', whatIf'})` : `body.${i.path.join('.') || '(root)'}: ${i.message}`,
      ),
    };
  }
  try {
    const { document } = r.data;
    const policy = typeof document === 'string' ? parsePolicy(document, 'document') : policyFromDocument(document, 'document');
    const whatIf = 'whatIf' in r.data ? r.data.whatIf : undefined;
    return { ok: true, policy, reason: r.data.reason ?? '', ...(whatIf ? { whatIf } : {}) };
  } catch (error) {
    if (!(error instanceof PolicyError)) throw error;
    return { ok: false, problems: error.problems.map((p) => (p.startsWith('YAML syntax') ? `document: ${p}` : `document.${p}`)) };
  }
}

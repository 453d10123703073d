import { z } from 'zod';

/** Body of POST /api/reps/:repId/reinstate. */
export const ReinstateRequest = z
  .object({
    managerId: z.string({ error: 'managerId is required (the manager putting the rep back, e.g. "mgr-emea")' }).trim().min(1, 'managerId must not be empty').max(200),
    note: z.string().max(500, 'note is at most 500 characters').optional(),
  })
  .strict();
export type ReinstateRequest = z.infer<typeof ReinstateRequest>;

export type ParsedReinstate = { readonly ok: true; readonly value: ReinstateRequest } | { readonly ok: false; readonly problems: string[] };

/** Validates the body; every problem names the field ("body.managerId: …"). */
export function parseReinstateRequest(body: unknown): ParsedReinstate {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, problems: ['body: must be a JSON object like {"managerId": "mgr-emea", "note": "…"}'] };
  }
  const r = ReinstateRequest.safeParse(body);
  if (r.success) return { ok: true, value: r.data };
  return {
    ok: false,
    problems: r.error.issues.map((i) =>
      i.code === 'unrecognized_keys' ? `body: unknown field(s) ${i.keys.map((k) => `"${k}"`).join(', ')} (allowed: managerId, note)` : `body.${i.path.join('.') || '(root)'}: ${i.message}`,
    ),
  };
}

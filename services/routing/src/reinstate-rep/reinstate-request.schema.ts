import { z } from 'zod';

/** Body of POST /api/reps/:repId/reinstate. */
export const ReinstateRequest = z
  .object({
    /** Accepted for older clients and ignored: who reinstates is the verified principal, never the body. */
    managerId: z.string().max(200).optional(),
    note: z.string().max(500, 'note is at most 500 characters').optional(),
  })
  .strict();
export type ReinstateRequest = z.infer<typeof ReinstateRequest>;

export type ParsedReinstate = { readonly ok: true; readonly value: ReinstateRequest } | { readonly ok: false; readonly problems: string[] };

/** Validates the body; every problem names the field ("body.managerId: …"). */
export function parseReinstateRequest(body: unknown): ParsedReinstate {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, problems: ['body: must be a JSON object like {"note": "…"}'] };
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

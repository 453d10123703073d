import { z } from 'zod';

/** Body of POST /api/leads/:leadId/reassign. */
export const ReassignRequest = z
  .object({
    toRepId: z.string({ message: 'required: the id of the rep who should own the lead' }).min(1).max(200),
    note: z.string().max(500, 'note is at most 500 characters').optional(),
  })
  .strict();
export type ReassignRequest = z.infer<typeof ReassignRequest>;

export type ParsedReassign = { readonly ok: true; readonly value: ReassignRequest } | { readonly ok: false; readonly problems: string[] };

/** Validates the body; every problem names the field ("body.toRepId: …"). */
export function parseReassignRequest(body: unknown): ParsedReassign {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return { ok: false, problems: ['body: must be a JSON object like {"toRepId": "ava", "note": "…"}'] };
  }
  const r = ReassignRequest.safeParse(body);
  if (r.success) return { ok: true, value: r.data };
  return {
    ok: false,
    problems: r.error.issues.map((i) =>
      i.code === 'unrecognized_keys' ? `body: unknown field(s) ${i.keys.map((k) => `"${k}"`).join(', ')} (allowed: toRepId, note)` : `body.${i.path.join('.') || '(root)'}: ${i.message}`,
    ),
  };
}

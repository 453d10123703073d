import { z } from 'zod';

const Id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'ids are letters, digits, ".", "_" and "-"');
const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const WallTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'wall time must be "HH:MM" (24 h)');
const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are "YYYY-MM-DD"');

/** A coverage calendar: when a team's clocks run (DOMAIN.md "Clock semantics"). */
export const CalendarPolicy = z
  .object({
    id: Id,
    timeZone: z.string().refine((tz) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'not an IANA time zone (e.g. "Europe/London")'),
    /** Half-open [open, close) local windows; close <= open crosses midnight. */
    windows: z.array(z.object({ day: Weekday, open: WallTime, close: WallTime }).strict()).min(1),
    holidays: z.array(LocalDate).default([]),
    /**
     * Dated overrides: on each local date, these windows replace the weekly
     * ones (special hours, a half-day, an extra working day; [] closes it).
     * Half-open [open, close) within the date; close may be "24:00".
     */
    overrides: z
      .array(
        z
          .object({
            date: LocalDate,
            windows: z.array(
              z
                .object({ open: WallTime, close: z.union([WallTime, z.literal('24:00')]) })
                .strict()
                .refine((w) => w.close === '24:00' || w.close > w.open, 'an override window stays within its date: close must be after open (use "24:00" for midnight)'),
            ),
          })
          .strict(),
      )
      .default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.overrides.forEach((o, i) => {
      if (seen.has(o.date)) ctx.addIssue({ code: 'custom', path: ['overrides', i, 'date'], message: `${o.date} has two overrides: merge their windows into one` });
      if (c.holidays.includes(o.date)) ctx.addIssue({ code: 'custom', path: ['overrides', i, 'date'], message: `${o.date} is also a holiday: keep one (an override with no windows closes the date)` });
      seen.add(o.date);
    });
  });
export type CalendarPolicy = z.infer<typeof CalendarPolicy>;

export const TeamPolicy = z
  .object({
    id: Id,
    name: z.string().optional(),
    managerId: Id,
    calendarId: Id,
    backupTeamId: Id.optional(),
  })
  .strict();
export type TeamPolicy = z.infer<typeof TeamPolicy>;

export const RepPolicy = z
  .object({
    id: Id,
    name: z.string().optional(),
    teamId: Id,
    /** Overrides the team's manager for this rep. */
    managerId: Id.optional(),
    /** Maximum open leads awaiting first touch. */
    capacity: z.number().int().positive(),
  })
  .strict();
export type RepPolicy = z.infer<typeof RepPolicy>;

export const PoolPolicy = z
  .object({
    id: Id,
    teamId: Id,
    reps: z.array(Id).min(1),
    backupPoolId: Id.optional(),
  })
  .strict();
export type PoolPolicy = z.infer<typeof PoolPolicy>;

/**
 * A person who may sign in, matched to the identity provider's token by the
 * claim AUTH_PRINCIPAL_CLAIM names (`email` or `sub`). `id` is a rep id or a
 * manager id used elsewhere in the policy; the role follows from where the id
 * appears (a team's or a rep's manager → manager; a rep → rep), unless `admin`.
 */
export const DirectoryEntryPolicy = z
  .object({
    id: Id,
    email: z.string().email().optional(),
    subject: z.string().min(1).optional(),
    admin: z.boolean().default(false),
  })
  .strict()
  .refine((e) => e.email !== undefined || e.subject !== undefined, { message: 'a directory entry needs an email or a subject to be matched by' });
export type DirectoryEntryPolicy = z.infer<typeof DirectoryEntryPolicy>;

export { Id as PolicyId, Weekday, WallTime, LocalDate };

import { z } from 'zod';

const Id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/i, 'ids are letters, digits, ".", "_" and "-"');
const Weekday = z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
const WallTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'wall time must be "HH:MM" (24 h)');
const LocalDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'dates are "YYYY-MM-DD"');

const TimeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'not an IANA time zone (e.g. "Europe/London")');

/** A Slack channel: its id ("C…", "G…") or "#name". */
const SlackChannel = z.string().regex(/^(#[a-z0-9][a-z0-9._-]*|[CG][A-Z0-9]{2,})$/, 'a Slack channel is its id ("C0123ABCD") or "#name" (lower case)');
/** A person's Slack: their user id ("U…", "W…": a direct message), or a channel. */
const SlackAddress = z.string().regex(/^(#[a-z0-9][a-z0-9._-]*|[CGUW][A-Z0-9]{2,})$/, 'a Slack address is a user id ("U0123ABCD"), a channel id ("C0123ABCD") or "#name" (lower case)');
const Email = z.string().email('not an email address');

/** A coverage calendar: when a team's clocks run (DOMAIN.md "Clock semantics"). */
export const CalendarPolicy = z
  .object({
    id: Id,
    timeZone: TimeZone,
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
    /** The team's Slack channel: breaches, manager escalations and reassignments of its leads, and its digests (docs/notifications.md). */
    slack: SlackChannel.optional(),
    /** The team's mailing list(s), for the same notifications as its Slack channel. */
    email: z.array(Email).min(1).optional(),
    /**
     * When the team's manager gets the digests, in the local time of the
     * team's calendar: the daily missed-SLA report at `time`, the weekly
     * fallback review at `time` on `weeklyOn`. Absent: 08:00, Mondays.
     */
    digest: z.object({ time: WallTime.default('08:00'), weeklyOn: Weekday.default('mon') }).strict().optional(),
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
export const NotifyPreferencesPolicy = z
  .object({
    /** The person's own channels that notify them (default: every one they have an address for). */
    channels: z.array(z.enum(['slack', 'email'])).min(1).optional(),
    /**
     * Half-open [from, to) local wall time (the entry's timeZone) in which
     * nothing reaches the person's own channels: what falls due then is
     * delivered when the quiet hours end. `to` at or before `from` crosses
     * midnight. Escalations to a manager come through anyway unless
     * `escalations: hold` (docs/notifications.md).
     */
    quietHours: z
      .object({ from: WallTime, to: WallTime, escalations: z.enum(['deliver', 'hold']).default('deliver') })
      .strict()
      .refine((q) => q.from !== q.to, { message: 'quiet hours need from and to to differ (remove quietHours to be notified at any time)', path: ['to'] })
      .optional(),
  })
  .strict();
export type NotifyPreferencesPolicy = z.infer<typeof NotifyPreferencesPolicy>;

/**
 * A person: who may sign in (`email` or `subject`) and where notifications
 * reach them (`email`, `slack`, in their `timeZone`, as `notify` prefers).
 */
export const DirectoryEntryPolicy = z
  .object({
    id: Id,
    email: Email.optional(),
    subject: z.string().min(1).optional(),
    admin: z.boolean().default(false),
    /** Their Slack user id (a direct message), or a channel of their own. */
    slack: SlackAddress.optional(),
    /** Their IANA zone, for quiet hours (default: the calendar of their team, else UTC). */
    timeZone: TimeZone.optional(),
    notify: NotifyPreferencesPolicy.optional(),
  })
  .strict()
  .refine((e) => e.email !== undefined || e.subject !== undefined, { message: 'a directory entry needs an email or a subject to be matched by' })
  .superRefine((e, ctx) => {
    for (const channel of e.notify?.channels ?? []) {
      if (e[channel] === undefined) ctx.addIssue({ code: 'custom', path: ['notify', 'channels'], message: `"${channel}" is listed but "${e.id}" has no ${channel} address: add \`${channel}:\` to the entry or drop the channel` });
    }
  });
export type DirectoryEntryPolicy = z.infer<typeof DirectoryEntryPolicy>;

export { Id as PolicyId, Weekday, WallTime, LocalDate };

import type { Policy } from './policy.schema';

/**
 * The one notion of an admin person: a directory entry with `admin: true`.
 * Sign-in gives such a person the admin role, and the disposition service
 * lets them accept or reject any MQL for its owner (docs/security.md).
 */
export function directoryAdmins(policy: Pick<Policy, 'directory'>): string[] {
  return policy.directory.filter((e) => e.admin).map((e) => e.id);
}

/** Where notifications reach a person, with defaults filled (docs/notifications.md). */
export interface PersonContact {
  readonly id: string;
  readonly email: string | null;
  readonly slack: string | null;
  /** Their own zone, else their team's calendar zone (a manager: the first team they run), else UTC. */
  readonly timeZone: string;
  /** Their own channels that notify them: as listed, else every one they have an address for. */
  readonly channels: readonly ('slack' | 'email')[];
  readonly quietHours: { readonly from: string; readonly to: string; readonly escalations: 'deliver' | 'hold' } | null;
}

/** A person's contact from the directory; null when the directory has no entry for them. */
export function contactOf(policy: Pick<Policy, 'directory' | 'reps' | 'teams' | 'calendars'>, personId: string): PersonContact | null {
  const entry = policy.directory.find((e) => e.id === personId);
  if (!entry) return null;
  const teamId = policy.reps.find((r) => r.id === personId)?.teamId ?? policy.teams.find((t) => t.managerId === personId)?.id;
  const calendarId = policy.teams.find((t) => t.id === teamId)?.calendarId;
  const teamZone = policy.calendars.find((c) => c.id === calendarId)?.timeZone;
  const email = entry.email ?? null;
  const slack = entry.slack ?? null;
  return {
    id: entry.id,
    email,
    slack,
    timeZone: entry.timeZone ?? teamZone ?? 'UTC',
    channels: entry.notify?.channels ?? [...(slack ? (['slack'] as const) : []), ...(email ? (['email'] as const) : [])],
    quietHours: entry.notify?.quietHours ?? null,
  };
}

/** Where a team's notifications and digests go, and when its digests are due (local time of its calendar). */
export interface TeamContact {
  readonly id: string;
  readonly managerId: string;
  readonly slack: string | null;
  readonly email: readonly string[];
  readonly timeZone: string;
  readonly digest: { readonly time: string; readonly weeklyOn: 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun' };
}

export function teamContactOf(policy: Pick<Policy, 'teams' | 'calendars'>, teamId: string): TeamContact | null {
  const team = policy.teams.find((t) => t.id === teamId);
  if (!team) return null;
  return {
    id: team.id,
    managerId: team.managerId,
    slack: team.slack ?? null,
    email: team.email ?? [],
    timeZone: policy.calendars.find((c) => c.id === team.calendarId)?.timeZone ?? 'UTC',
    digest: { time: team.digest?.time ?? '08:00', weeklyOn: team.digest?.weeklyOn ?? 'mon' },
  };
}

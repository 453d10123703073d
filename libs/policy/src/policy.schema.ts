import { z } from 'zod';
import { CalendarPolicy, DirectoryEntryPolicy, PoolPolicy, RepPolicy, TeamPolicy } from './organisation.policy';
import { RoutingPolicy } from './routing.policy';
import { ClocksPolicy } from './clocks.policy';
import { DispositionsPolicy } from './dispositions.policy';

/**
 * The written SLA as configuration: one versioned file that every service
 * loads. Every decision event carries `version`.
 */
export const PolicySchema = z
  .object({
    version: z.string().min(1),
    calendars: z.array(CalendarPolicy).min(1),
    teams: z.array(TeamPolicy).min(1),
    reps: z.array(RepPolicy).min(1),
    pools: z.array(PoolPolicy).min(1),
    routing: RoutingPolicy,
    clocks: ClocksPolicy,
    dispositions: DispositionsPolicy,
    /** Who may sign in and as whom (docs/security.md); empty: nobody signs in with a token, API keys still work. */
    directory: z.array(DirectoryEntryPolicy).default([]),
  })
  .strict()
  .superRefine((p, ctx) => {
    const ids = (items: { id: string }[], path: string) => {
      const seen = new Set<string>();
      items.forEach((item, i) => {
        if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [path, i, 'id'], message: `duplicate id "${item.id}"` });
        seen.add(item.id);
      });
      return seen;
    };
    const calendars = ids(p.calendars, 'calendars');
    const teams = ids(p.teams, 'teams');
    const reps = ids(p.reps, 'reps');
    const pools = ids(p.pools, 'pools');
    ids(p.routing.rules, 'rules');
    ids(p.clocks.tiers, 'tiers');
    const ref = (set: Set<string>, value: string | undefined, path: (string | number)[], what: string) => {
      if (value !== undefined && !set.has(value)) ctx.addIssue({ code: 'custom', path, message: `unknown ${what} "${value}"` });
    };
    p.teams.forEach((t, i) => {
      ref(calendars, t.calendarId, ['teams', i, 'calendarId'], 'calendar');
      ref(teams, t.backupTeamId, ['teams', i, 'backupTeamId'], 'team');
    });
    p.reps.forEach((r, i) => ref(teams, r.teamId, ['reps', i, 'teamId'], 'team'));
    p.pools.forEach((pool, i) => {
      ref(teams, pool.teamId, ['pools', i, 'teamId'], 'team');
      ref(pools, pool.backupPoolId, ['pools', i, 'backupPoolId'], 'pool');
      if (pool.backupPoolId === pool.id) ctx.addIssue({ code: 'custom', path: ['pools', i, 'backupPoolId'], message: 'a pool cannot be its own backup' });
      pool.reps.forEach((r, j) => ref(reps, r, ['pools', i, 'reps', j], 'rep'));
    });
    p.routing.rules.forEach((r, i) => ref(pools, r.pool, ['routing', 'rules', i, 'pool'], 'pool'));
    ref(pools, p.routing.defaultPool, ['routing', 'defaultPool'], 'pool');
    ref(pools, p.routing.aePool, ['routing', 'aePool'], 'pool');
    ref(reps, p.routing.dataCleanupOwner, ['routing', 'dataCleanupOwner'], 'rep');
    for (const [domain, rep] of Object.entries(p.routing.accountOwners)) ref(reps, rep, ['routing', 'accountOwners', domain], 'rep');
    ref(calendars, p.clocks.defaultCalendarId, ['clocks', 'defaultCalendarId'], 'calendar');
    const managers = new Set([...p.teams.map((t) => t.managerId), ...p.reps.flatMap((r) => (r.managerId ? [r.managerId] : []))]);
    ids(p.directory, 'directory');
    p.directory.forEach((e, i) => {
      if (!e.admin && !reps.has(e.id) && !managers.has(e.id)) ctx.addIssue({ code: 'custom', path: ['directory', i, 'id'], message: `"${e.id}" is neither a rep nor a manager in this policy; name one, or set admin: true` });
    });
    for (const field of ['email', 'subject'] as const) {
      const seen = new Map<string, string>();
      p.directory.forEach((e, i) => {
        const value = e[field]?.toLowerCase();
        if (value === undefined) return;
        const other = seen.get(value);
        if (other !== undefined) ctx.addIssue({ code: 'custom', path: ['directory', i, field], message: `${field} "${e[field]}" already belongs to "${other}": one person, one entry` });
        seen.set(value, e.id);
      });
    }
    const reasons = new Set<string>();
    p.dispositions.rejectReasons.forEach((r, i) => {
      if (reasons.has(r.code)) ctx.addIssue({ code: 'custom', path: ['dispositions', 'rejectReasons', i, 'code'], message: `duplicate reject reason "${r.code}"` });
      reasons.add(r.code);
    });
    const codes = new Set<string>();
    p.dispositions.codes.forEach((c, i) => {
      if (codes.has(c.code)) ctx.addIssue({ code: 'custom', path: ['dispositions', 'codes', i, 'code'], message: `duplicate code "${c.code}"` });
      codes.add(c.code);
    });
  });

export type Policy = z.infer<typeof PolicySchema>;

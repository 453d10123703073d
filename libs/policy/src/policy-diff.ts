import type { Policy } from './policy.schema';

/** The lists of a policy whose items have an id: a change to one is told by that id. */
const KEYED_LISTS = [
  { section: 'calendars', path: ['calendars'], key: 'id' },
  { section: 'teams', path: ['teams'], key: 'id' },
  { section: 'reps', path: ['reps'], key: 'id' },
  { section: 'pools', path: ['pools'], key: 'id' },
  { section: 'routing rules', path: ['routing', 'rules'], key: 'id' },
  { section: 'clock tiers', path: ['clocks', 'tiers'], key: 'id' },
  { section: 'disposition codes', path: ['dispositions', 'codes'], key: 'code' },
  { section: 'reject reasons', path: ['dispositions', 'rejectReasons'], key: 'code' },
  { section: 'directory', path: ['directory'], key: 'id' },
] as const;

export type PolicySection = (typeof KEYED_LISTS)[number]['section'] | 'settings';

export interface PolicyChange {
  readonly kind: 'added' | 'removed' | 'changed';
  readonly section: PolicySection;
  /** The item's id (or code); for a setting outside the lists, its path. */
  readonly id: string;
  /**
   * Where in the document: `pools[emea].reps`, `routing.defaultPool`. An
   * added or removed item has its own path; a changed item has one change per
   * field that differs.
   */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export interface PolicyDiff {
  readonly fromVersion: string;
  readonly toVersion: string;
  readonly changes: readonly PolicyChange[];
  /** One line a manager can read: "reps: +1 (ana), −1 (bo); pools: 1 changed (emea); settings: routing.defaultPool". */
  readonly summary: string;
}

type Json = unknown;

function at(value: Json, path: readonly string[]): Json {
  return path.reduce<Json>((v, k) => (v && typeof v === 'object' ? (v as Record<string, Json>)[k] : undefined), value);
}

function isObject(v: Json): v is Record<string, Json> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function same(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => same(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => same(a[k], b[k]));
  }
  return false;
}

/** The leaf paths where two values differ (objects are walked; lists and scalars compare whole). */
function fieldChanges(before: Json, after: Json, path: string, skip: (path: string) => boolean = () => false): Array<{ path: string; before: Json; after: Json }> {
  if (skip(path)) return [];
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => fieldChanges(before[k], after[k], path ? `${path}.${k}` : k, skip));
  }
  return same(before, after) ? [] : [{ path, before, after }];
}

/**
 * What changed from one policy version to another: items of the id-keyed
 * lists (calendars, teams, reps, pools, routing rules, clock tiers,
 * disposition codes, reject reasons, directory) added, removed or changed
 * field by field, and every other setting that differs, by path. Pure; the
 * dry-run of a publication and the policy history both use it.
 */
export function diffPolicies(before: Policy, after: Policy): PolicyDiff {
  const changes: PolicyChange[] = [];
  for (const list of KEYED_LISTS) {
    const where = list.path.join('.');
    const index = (p: Policy) => new Map(((at(p, list.path) as Array<Record<string, Json>> | undefined) ?? []).map((item) => [String(item[list.key]), item]));
    const was = index(before);
    const now = index(after);
    for (const [id, item] of now) {
      const old = was.get(id);
      if (!old) changes.push({ kind: 'added', section: list.section, id, path: `${where}[${id}]`, after: item });
      else for (const c of fieldChanges(old, item, '')) changes.push({ kind: 'changed', section: list.section, id, path: `${where}[${id}].${c.path}`, before: c.before, after: c.after });
    }
    for (const [id, item] of was) if (!now.has(id)) changes.push({ kind: 'removed', section: list.section, id, path: `${where}[${id}]`, before: item });
  }
  const listed = new Set<string>(KEYED_LISTS.map((l) => l.path.join('.')));
  for (const c of fieldChanges(before, after, '', (path) => listed.has(path) || path === 'version')) {
    changes.push({ kind: 'changed', section: 'settings', id: c.path, path: c.path, before: c.before, after: c.after });
  }
  return { fromVersion: before.version, toVersion: after.version, changes, summary: summarise(changes) };
}

function summarise(changes: readonly PolicyChange[]): string {
  if (changes.length === 0) return 'no change but the version';
  const sections = [...new Set(changes.map((c) => c.section))];
  return sections
    .map((section) => {
      const of = changes.filter((c) => c.section === section);
      if (section === 'settings') return `settings: ${of.map((c) => c.path).join(', ')}`;
      const ids = (kind: PolicyChange['kind']) => [...new Set(of.filter((c) => c.kind === kind).map((c) => c.id))];
      const parts = [
        ids('added').length ? `+${ids('added').length} (${ids('added').join(', ')})` : '',
        ids('removed').length ? `−${ids('removed').length} (${ids('removed').join(', ')})` : '',
        ids('changed').length ? `${ids('changed').length} changed (${ids('changed').join(', ')})` : '',
      ].filter(Boolean);
      return `${section}: ${parts.join(', ')}`;
    })
    .join('; ');
}

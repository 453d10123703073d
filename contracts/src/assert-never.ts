/**
 * The one exhaustiveness check: a `switch` over a union ends with
 * `default: return assertNever(x, 'where')`, so a new case fails to compile.
 * At run time (a value from outside the types) it names the case without
 * dumping the value, which may hold contact details.
 */
export function assertNever(value: never, where: string): never {
  const v = value as unknown;
  const name = typeof v === 'object' && v !== null && 'type' in v ? String((v as { type: unknown }).type) : typeof v === 'string' ? v : typeof v;
  throw new Error(`${where}: unhandled case "${name}"`);
}

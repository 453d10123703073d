import { z } from 'zod';
import { EnvelopeSchema } from './envelope';
import { EventCatalogue, isEventType, type LeadEvent } from './catalogue';

export type ParseResult =
  | { readonly ok: true; readonly event: LeadEvent; readonly upcastFrom: number | null }
  | { readonly ok: false; readonly error: string };

function describe(error: z.ZodError, prefix: string): string {
  return error.issues
    .map((i) => `${prefix}${i.path.length ? i.path.join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

/**
 * Validates raw JSON against the envelope and the schema of its type and
 * version, then upcasts it to the current version. Never throws: a bad
 * event comes back as a message that names the field and schema version.
 */
export function parseEvent(raw: unknown): ParseResult {
  const envelope = EnvelopeSchema.safeParse(raw);
  if (!envelope.success) return { ok: false, error: `invalid envelope: ${describe(envelope.error, '')}` };
  const { type, version } = envelope.data;
  if (!isEventType(type)) return { ok: false, error: `unknown event type "${type}"` };
  const definition = EventCatalogue[type];
  const versions = definition.versions as Record<number, z.ZodType>;
  const schema = versions[version];
  if (!schema) {
    const known = Object.keys(versions).join(', ');
    return { ok: false, error: `unknown schema version ${version} of ${type} (known: ${known})` };
  }
  const data = schema.safeParse(envelope.data.data);
  if (!data.success) return { ok: false, error: `${type} v${version} invalid: ${describe(data.error, 'data.')}` };

  let current: unknown = data.data;
  const upcasters = definition.upcasters as Record<number, (d: unknown) => unknown>;
  for (let v = version; v < definition.current; v++) {
    const upcast = upcasters[v];
    if (!upcast) return { ok: false, error: `no upcaster from ${type} v${v} to v${v + 1}` };
    current = upcast(current);
  }
  const event = { ...envelope.data, version: definition.current, data: current } as LeadEvent;
  return { ok: true, event, upcastFrom: version === definition.current ? null : version };
}

/** Parses bytes off the wire (UTF-8 JSON). */
export function parseEventBytes(value: Buffer | string | null): ParseResult {
  if (value === null) return { ok: false, error: 'empty message (null value)' };
  let raw: unknown;
  try {
    raw = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch (e) {
    // The parser quotes the text it choked on, which may be contact details: keep only where it failed.
    const at = /position (\d+)/.exec((e as Error).message);
    return { ok: false, error: `not JSON (${Buffer.byteLength(value)} bytes${at ? `, invalid at position ${at[1]}` : ''}): publish the event as UTF-8 JSON` };
  }
  return parseEvent(raw);
}

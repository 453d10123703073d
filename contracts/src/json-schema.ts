import { z } from 'zod';
import { EnvelopeSchema } from './envelope';
import { EventCatalogue, type EventType } from './catalogue';

/** JSON Schema (draft 2020-12) for one event type and version, envelope included. */
export function eventJsonSchema(type: EventType, version: number): Record<string, unknown> {
  const schema = (EventCatalogue[type].versions as Record<number, z.ZodType>)[version];
  if (!schema) throw new Error(`no schema for ${type} v${version}`);
  const envelope = z.toJSONSchema(EnvelopeSchema, { io: 'input' }) as Record<string, unknown> & {
    properties: Record<string, unknown>;
  };
  return {
    ...envelope,
    $id: `https://lead-sla.dev/schemas/${type}.v${version}.json`,
    title: `${type} v${version}`,
    description: EventCatalogue[type].description,
    properties: {
      ...envelope.properties,
      type: { const: type },
      version: { const: version },
      data: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }),
    },
  };
}

/** Every version of every event, keyed "Type.vN". */
export function allEventJsonSchemas(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const type of Object.keys(EventCatalogue) as EventType[]) {
    for (const v of Object.keys(EventCatalogue[type].versions)) {
      out[`${type}.v${v}`] = eventJsonSchema(type, Number(v));
    }
  }
  return out;
}

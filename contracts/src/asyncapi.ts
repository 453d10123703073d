import { stringify } from 'yaml';
import { EventCatalogue, type EventType } from './catalogue';
import { eventJsonSchema } from './json-schema';
import { DeadLetterHeaders, Topics } from './topics';

/**
 * The AsyncAPI 3.0 document for the topic and every event's current version,
 * built from the catalogue so it cannot drift from the runtime schemas.
 */
export function asyncApiDocument(): Record<string, unknown> {
  const types = Object.keys(EventCatalogue) as EventType[];
  const messages: Record<string, unknown> = {};
  for (const type of types) {
    const def = EventCatalogue[type];
    messages[type] = {
      name: type,
      title: `${type} v${def.current}`,
      summary: def.description,
      contentType: 'application/json',
      headers: {
        type: 'object',
        properties: {
          traceparent: { type: 'string', description: 'W3C trace context of the span that published it' },
          'event-type': { type: 'string', const: type },
          'event-id': { type: 'string', format: 'uuid' },
        },
      },
      payload: eventJsonSchema(type, def.current),
      'x-producer': def.producer,
      'x-versions': Object.keys(def.versions).map(Number),
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'lead-sla events',
      version: '1.0.0',
      description:
        'Every fact about a lead is an immutable event on lead-events.v1, keyed by leadId (facts about a rep: "rep:<repId>"). ' +
        'Readers upcast older versions to the current shape. Invalid messages go to the dead-letter topic with the reason in headers. ' +
        'Generated from contracts/src by `npm run contracts:export`; do not edit by hand.',
    },
    defaultContentType: 'application/json',
    channels: {
      leadEvents: {
        address: Topics.leadEvents,
        description: 'The log of lead facts and decisions, keyed by lead id.',
        messages: Object.fromEntries(types.map((t) => [t, { $ref: `#/components/messages/${t}` }])),
      },
      deadLetters: {
        address: Topics.deadLetter,
        description: `Messages a consumer could not apply: the original bytes, with headers ${Object.values(DeadLetterHeaders).join(', ')}.`,
      },
    },
    operations: {
      publishLeadEvent: { action: 'send', channel: { $ref: '#/channels/leadEvents' } },
      consumeLeadEvents: { action: 'receive', channel: { $ref: '#/channels/leadEvents' } },
    },
    components: { messages },
  };
}

export function asyncApiYaml(): string {
  return stringify(asyncApiDocument(), { lineWidth: 0 });
}

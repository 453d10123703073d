import { stringify } from 'yaml';
import { EventCatalogue, type EventType } from './catalogue';
import { eventJsonSchema } from './json-schema';
import { DeadLetterHeaders, Topics } from './topics';

/** How producers must partition lead-events.v1; consumers dead-letter a keyed message on any other partition. */
const PARTITIONING =
  'Partitioner: the Java client\'s murmur2 (partition = (murmur2(UTF-8 key bytes) & 0x7fffffff) % the topic\'s partition count): ' +
  'the Java client\'s and kafkajs\' DefaultPartitioner; with librdkafka (confluent-kafka-*, node-rdkafka) set partitioner=murmur2_random, ' +
  'its default (consistent_random, CRC32) puts keys elsewhere. A live consumer dead-letters a keyed message that arrived on another ' +
  'partition than its key\'s (reason in x-dlq-reason, metric lead_sla_wrong_partition_total); re-drive it once the producer is fixed.';

const KEY_SCHEMA = { type: 'string', description: 'The partition key: the leadId, or "rep:<repId>" for a fact about a rep with no lead.' };

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
      // A copy each, so the YAML spells each binding out instead of using anchors.
      bindings: { kafka: { key: { ...KEY_SCHEMA }, bindingVersion: '0.5.0' } },
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
        'Producers must partition with the Java murmur2 partitioner (librdkafka: partitioner=murmur2_random), see the channel. ' +
        'Readers upcast older versions to the current shape. Invalid messages go to the dead-letter topic with the reason in headers. ' +
        'Generated from contracts/src by `npm run contracts:export`; do not edit by hand.',
    },
    defaultContentType: 'application/json',
    channels: {
      leadEvents: {
        address: Topics.leadEvents,
        description: `The log of lead facts and decisions, keyed by lead id. ${PARTITIONING}`,
        'x-partitioner': { algorithm: 'murmur2', client: 'Java DefaultPartitioner / kafkajs DefaultPartitioner', librdkafka: 'partitioner=murmur2_random' },
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

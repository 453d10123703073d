import type { EventType, LeadEvent } from '@lead-sla/contracts';
import type { Tx } from '@lead-sla/platform';
import { decideAndEvolve, type Decider } from '@lead-sla/decider';
import type { Policy } from '@lead-sla/policy';
import type { BatchHandlerContext, BatchItem, HandlerContext, MessageInfo } from './transactional-consumer';
import { currentTraceHeaders, withConsumerSpan, type StringHeaders } from './trace-context';

export interface SaveContext {
  /** The partition of lead-events.v1 the batch came from (scheduled rows are fired by its owner). */
  readonly partition: number;
  /** The policy in force on that partition after the batch's last input (what scheduled work of the batch plans with). */
  readonly policy: Policy;
  /** Runs after the transaction commits (e.g. hand new rows to an in-memory scheduler). */
  afterCommit(fn: () => void): void;
  /**
   * The trace context an input or emitted event of this batch was decided in:
   * scheduled work stores it with its row, so what fires later continues the
   * trace of the event that caused it.
   */
  traceOf(eventId: string): StringHeaders;
}

/**
 * Everything a stateful service declares; the runtime does the rest (type
 * filtering, parsing and upcasting, one load and one save per batch, or per
 * chunk of FOLD_CHUNK_INPUTS inputs of a big one, the fold in log order,
 * envelopes with derived ids, trace context, the outbox and waking the
 * relay). See docs/architecture.md, "How to write a service".
 */
export interface DeciderService<I extends LeadEvent, S, Env> extends Decider<I, S, Env> {
  /** The one list of input types; the consumer skips every other type without validating it. */
  readonly inputTypes: readonly I['type'][];
  /**
   * The decisions this service publishes. A rebuild folds them from the log
   * (with the inputs) instead of deciding again: the log orders events only
   * within a partition, so re-deciding could meet the partitions in another
   * interleaving than live did; the decisions it made are facts too.
   */
  readonly outputTypes: readonly EventType[];
  /** The state keys an input touches (lead id, contact key, rep id …). */
  keysOf(input: I): readonly string[];
  /**
   * The state of every key of a batch, in one round trip where possible
   * (rows locked for update). `policies`: each policy in force somewhere in
   * the batch (a PolicyPublished copy may fall inside it).
   */
  load(tx: Tx, keys: readonly string[], inputs: readonly I[], policies: readonly Policy[]): Promise<S>;
  /**
   * The decision environment of one input: the time and `policy`, the policy
   * in force at the input's position in its partition (never the file, never
   * "the current one": a replay must decide under the same version).
   */
  environment(input: I, now: Date, policy: Policy): Env;
  /** Writes what changed between `before` and `after` with multi-row statements. */
  save(tx: Tx, before: S, after: S, ctx: SaveContext): Promise<void>;
  /** Partitions this instance now consumes (e.g. the timer fires the deadlines of these). */
  onPartitionsAssigned?(partitions: ReadonlyArray<{ topic: string; partition: number }>): void;
}

export function uniqueKeys<I extends LeadEvent>(service: Pick<DeciderService<I, unknown, unknown>, 'keysOf'>, inputs: readonly I[]): string[] {
  return [...new Set(inputs.flatMap((i) => service.keysOf(i)))];
}

/** What the consumer needs from a service: both paths run the same fold. */
export interface DeciderHandler {
  readonly eventTypes: readonly EventType[];
  handle(event: LeadEvent, ctx: HandlerContext): Promise<void>;
  handleBatch(items: readonly BatchItem[], ctx: BatchHandlerContext): Promise<void>;
  onPartitionsAssigned?(partitions: ReadonlyArray<{ topic: string; partition: number }>): void;
}

export interface DeciderHandlerOptions {
  /** The consumer group, for span names. */
  readonly name: string;
  /**
   * decide: answer each input and fold it with what it emits (serving).
   * rebuild: fold inputs and the service's own logged decisions, deciding
   * nothing (a replay from offset 0 rebuilding the state).
   */
  readonly mode: 'decide' | 'rebuild';
  /**
   * When the decision on `input` is made (recordedAt of what it emits): the
   * wall clock when serving; in a replay, the time the original decision was
   * recorded, so the replay reproduces it exactly.
   */
  decidedAt(input: LeadEvent): Date;
}

/**
 * Inputs folded over one loaded state at most. A fold copies the state it
 * changes (pure deciders), so its cost grows with the state's size times
 * the inputs folded over it: a burst's 2,000-message batch in one fold cost
 * disposition 18 s of CPU (4,000: 154 s), past Postgres'
 * idle-in-transaction timeout, and the retried batch failed again and again.
 * Chunks of this size keep a batch's cost linear in its length.
 */
export const FOLD_CHUNK_INPUTS = 200;

/**
 * Runs a DeciderService inside the transactional consumer's transaction:
 * per chunk of at most FOLD_CHUNK_INPUTS inputs, one load, the fold in log
 * order (each input in a consumer span continuing its message's trace, so
 * emitted events carry it), one save; the emitted events to the outbox.
 * Every chunk runs in the batch's one transaction, so a chunk loads what
 * the chunk before it saved. A failing batch is retried message by message
 * by the consumer (poison isolation) through `handle`, which runs the same
 * code on one item.
 */
export function deciderHandler<I extends LeadEvent, S, Env>(service: DeciderService<I, S, Env>, options: DeciderHandlerOptions): DeciderHandler {
  const rebuild = options.mode === 'rebuild';
  const wanted = new Set<string>(rebuild ? [...service.inputTypes, ...service.outputTypes] : service.inputTypes);
  const run = async (items: ReadonlyArray<{ event: LeadEvent; message: MessageInfo; policy?: Policy }>, ctx: BatchHandlerContext): Promise<void> => {
    const inputs = items.filter((i) => wanted.has(i.event.type)) as unknown as ReadonlyArray<{ event: I; message: MessageInfo; policy?: Policy }>;
    for (let from = 0; from < inputs.length; from += FOLD_CHUNK_INPUTS) await runChunk(inputs.slice(from, from + FOLD_CHUNK_INPUTS), ctx);
  };
  const runChunk = async (inputs: ReadonlyArray<{ event: I; message: MessageInfo; policy?: Policy }>, ctx: BatchHandlerContext): Promise<void> => {
    const policyOf = (item: { event: I; message: MessageInfo; policy?: Policy }): Policy => {
      if (!item.policy) {
        throw new Error(`${options.name}: no policy in force for ${item.event.type} ${item.event.eventId} at ${item.message.topic}[${item.message.partition}]@${item.message.offset}; start the consumer with a PolicyLog (the service runtime does)`);
      }
      return item.policy;
    };
    const policies = [...new Set(inputs.map(policyOf))];
    const before: S = await service.load(ctx.tx, uniqueKeys(service, inputs.map((i) => i.event)), inputs.map((i) => i.event), policies);
    let state: S = before;
    const traces = new Map<string, StringHeaders>();
    for (const item of inputs) {
      const { event, message } = item;
      const now = options.decidedAt(event);
      const policy = policyOf(item);
      if (rebuild) {
        state = service.evolve(state, event, service.environment(event, now, policy));
        continue;
      }
      const step = await withConsumerSpan(
        `${options.name} decide ${event.type}`,
        message.headers,
        { 'messaging.system': 'kafka', 'messaging.destination.name': message.topic, 'messaging.kafka.offset': message.offset, 'lead.id': event.leadId ?? '', 'event.type': event.type },
        async () => ({ ...decideAndEvolve(service, state, event, service.environment(event, now, policy), now), headers: currentTraceHeaders() }),
      );
      state = step.state;
      traces.set(event.eventId, step.headers);
      for (const e of step.emitted) {
        traces.set(e.eventId, step.headers);
        ctx.emit(e, step.headers);
      }
    }
    await service.save(ctx.tx, before, state, {
      partition: inputs[0].message.partition,
      policy: policyOf(inputs[inputs.length - 1]),
      afterCommit: (fn) => ctx.afterCommit(fn),
      traceOf: (eventId) => traces.get(eventId) ?? {},
    });
  };
  return {
    eventTypes: [...wanted] as EventType[],
    handle: (event, ctx) => run([{ event, message: ctx.message, ...(ctx.policy ? { policy: ctx.policy } : {}) }], ctx),
    handleBatch: (items, ctx) => run(items, ctx),
    onPartitionsAssigned: (partitions) => service.onPartitionsAssigned?.(partitions),
  };
}


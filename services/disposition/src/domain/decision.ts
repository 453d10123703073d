import type { EventData } from '@lead-sla/contracts';
import type { DispositionsPolicy } from '@lead-sla/policy';

/** The events the disposition service reacts to. */
export type InputType =
  | 'LeadCreated'
  | 'LeadAssigned'
  | 'LeadTouched'
  | 'LeadDispositioned'
  | 'LeadAccepted'
  | 'LeadRejected'
  | 'ContactBounced'
  | 'ContactFixed'
  | 'ConsentWithdrawn';

/** The events the disposition service decides and emits. */
export type OutputType =
  | 'DispositionRejected'
  | 'DispositionRecorded'
  | 'LeadRecycled'
  | 'LeadSuppressed'
  | 'LeadRequalified'
  | 'LeadStageChanged'
  | 'DataCleanupRequested';

/**
 * An event as the deciders need it: the envelope fields they use, with a
 * non-null leadId (events without a lead never reach this service).
 * Structurally compatible with the contracts' `EventOf<T>` envelopes.
 */
export type Fact<T extends InputType | OutputType = InputType | OutputType> = T extends unknown
  ? {
      readonly type: T;
      readonly eventId: string;
      readonly leadId: string;
      readonly occurredAt: string;
      readonly data: Readonly<EventData<T>>;
    }
  : never;

export type InputEvent<T extends InputType = InputType> = Fact<T>;

/**
 * One event to publish. The wiring wraps it in an envelope whose eventId is
 * derived from (`causeEventId`, `step`); `step` is unique among the
 * emissions of one cause, so a redelivered cause yields the same ids.
 */
export type Emission<T extends OutputType = OutputType> = T extends unknown
  ? {
      readonly type: T;
      readonly leadId: string;
      readonly step: string;
      readonly causeEventId: string;
      readonly data: EventData<T>;
    }
  : never;

/**
 * An input the service refuses to act on, with human sentences. The service
 * logs it (and for dispositions also emits the DispositionRejected that is
 * already among the emissions).
 */
export interface Refusal {
  readonly leadId: string;
  readonly eventId: string;
  readonly eventType: InputType;
  readonly repId: string | null;
  readonly problems: readonly string[];
  readonly policyVersion: string;
}

export interface Decision {
  readonly emit: readonly Emission[];
  readonly refusal: Refusal | null;
}

/** What a decision needs besides state: the policy and the time, passed in. */
export interface DeciderContext {
  readonly policy: { readonly version: string; readonly dispositions: DispositionsPolicy };
  readonly now: Date;
}

export const nothing: Decision = { emit: [], refusal: null };

export function emission<T extends OutputType>(
  type: T,
  leadId: string,
  step: string,
  causeEventId: string,
  data: EventData<T>,
): Emission<T> {
  return { type, leadId, step, causeEventId, data } as Emission<T>;
}

export function refuse(event: InputEvent, repId: string | null, problems: readonly string[], policyVersion: string): Refusal {
  return { leadId: event.leadId, eventId: event.eventId, eventType: event.type, repId, problems, policyVersion };
}

export function assertNever(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

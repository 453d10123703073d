import type { EventOf } from '@lead-sla/contracts';
import type { Emission } from '@lead-sla/decider';
import type { Policy } from '@lead-sla/policy';

/** The events the disposition service reacts to: the one list its runtime consumes. */
export const INPUT_TYPES = [
  'LeadCreated',
  'LeadAssigned',
  'LeadTouched',
  'LeadDispositioned',
  'LeadAccepted',
  'LeadRejected',
  'ContactBounced',
  'ContactFixed',
  'ConsentWithdrawn',
] as const;

export type InputType = (typeof INPUT_TYPES)[number];

/** The events the disposition service decides and emits. */
export const OUTPUT_TYPES = [
  'DispositionRejected',
  'DispositionRecorded',
  'LeadRecycled',
  'LeadSuppressed',
  'LeadRequalified',
  'LeadStageChanged',
  'DataCleanupRequested',
  'SalDecisionRecorded',
  'SalDecisionRefused',
] as const;

export type OutputType = (typeof OUTPUT_TYPES)[number];

/**
 * An event as the deciders see it: the contract envelope with a non-null
 * leadId (every input and output of this service is about a lead).
 */
export type Fact<T extends InputType | OutputType = InputType | OutputType> = T extends unknown
  ? EventOf<T> & { readonly leadId: string }
  : never;

export type InputEvent<T extends InputType = InputType> = Fact<T>;

const INPUTS: ReadonlySet<string> = new Set(INPUT_TYPES);
const OUTPUTS: ReadonlySet<string> = new Set(OUTPUT_TYPES);

export function isInput(event: { readonly type: string; readonly leadId: string | null }): event is InputEvent {
  return INPUTS.has(event.type) && event.leadId !== null;
}

export function isOutput(event: { readonly type: string; readonly leadId: string | null }): event is Fact<OutputType> {
  return OUTPUTS.has(event.type) && event.leadId !== null;
}

/**
 * An input the service refuses to act on, with human sentences. The service
 * logs it once the batch commits (for a disposition the DispositionRejected
 * is also among the emissions).
 */
export interface Refusal {
  readonly leadId: string;
  readonly eventId: string;
  readonly eventType: InputType;
  readonly repId: string | null;
  readonly problems: readonly string[];
  readonly policyVersion: string;
}

/** A use case's verdict on one input: the events to publish, and the refusal if it refused. */
export interface Decision {
  readonly emit: readonly Emission[];
  readonly refusal: Refusal | null;
}

/** What a decision needs besides state: the policy and the time, passed in. */
export interface DeciderContext {
  /** Reps, teams and the directory's admins: who may accept or reject for an owner. */
  readonly policy: Pick<Policy, 'version' | 'dispositions' | 'reps' | 'teams' | 'directory'>;
  readonly now: Date;
}

export const nothing: Decision = { emit: [], refusal: null };

export function refuse(event: InputEvent, repId: string | null, problems: readonly string[], policyVersion: string): Refusal {
  return { leadId: event.leadId, eventId: event.eventId, eventType: event.type, repId, problems, policyVersion };
}

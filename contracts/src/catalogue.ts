import { z } from 'zod';
import type { EventEnvelope } from './envelope';
import * as intake from './events/lead-intake.events';
import * as routing from './events/routing.events';
import * as timer from './events/timer.events';
import * as disposition from './events/disposition.events';
import * as policy from './events/policy.events';

/**
 * Every event type, every version ever published, and how older versions
 * are upcast to the current one. Old versions are never edited: a change
 * of shape is a new version plus an upcaster from the one before it.
 */
interface EventDefinition {
  readonly current: number;
  readonly producer: 'external' | 'routing' | 'timer' | 'disposition';
  readonly description: string;
  readonly versions: Readonly<Record<number, z.ZodType>>;
  /** upcasters[n] turns version n data into version n+1 data. */
  readonly upcasters: Readonly<Record<number, (data: never) => unknown>>;
}

function define<const D extends EventDefinition>(d: D): D {
  return d;
}

export const EventCatalogue = {
  LeadCreated: define({
    current: 2,
    producer: 'external',
    description: 'A person raised a hand (form fill, demo request, download, event scan).',
    versions: { 1: intake.LeadCreatedV1, 2: intake.LeadCreatedV2 },
    upcasters: { 1: intake.upcastLeadCreatedV1 },
  }),
  LeadTouched: define({
    current: 1,
    producer: 'external',
    description: 'A logged contact attempt by a rep, or an inbound reply.',
    versions: { 1: intake.LeadTouchedV1 },
    upcasters: {},
  }),
  ContactBounced: define({
    current: 1,
    producer: 'external',
    description: 'An email bounced or a phone number proved invalid.',
    versions: { 1: intake.ContactBouncedV1 },
    upcasters: {},
  }),
  ContactFixed: define({
    current: 1,
    producer: 'external',
    description: 'Bad contact data was corrected.',
    versions: { 1: intake.ContactFixedV1 },
    upcasters: {},
  }),
  ConsentWithdrawn: define({
    current: 1,
    producer: 'external',
    description: 'The lead withdrew consent to be contacted.',
    versions: { 1: intake.ConsentWithdrawnV1 },
    upcasters: {},
  }),
  RepAvailabilityChanged: define({
    current: 2,
    producer: 'external',
    description: "A rep's availability changed (available, unavailable, PTO, shift override).",
    versions: { 1: routing.RepAvailabilityChangedV1, 2: routing.RepAvailabilityChangedV2 },
    upcasters: { 1: routing.upcastRepAvailabilityChangedV1 },
  }),
  RepReinstated: define({
    current: 2,
    producer: 'external',
    description: 'A manager put a rep back into rotation.',
    versions: { 1: routing.RepReinstatedV1, 2: routing.RepReinstatedV2 },
    upcasters: { 1: routing.upcastRepReinstatedV1 },
  }),
  LeadReassignmentRequested: define({
    current: 1,
    // Only routing's HTTP API writes it, for a verified manager or admin (ingest does not take it: an ingest key may not move leads).
    producer: 'routing',
    description: "A manager asked (the dashboard, routing's POST /api/leads/:leadId/reassign) to hand a lead to a rep they chose, with who asked; routing decides the LeadAssigned.",
    versions: { 1: routing.LeadReassignmentRequestedV1 },
    upcasters: {},
  }),
  LeadAssigned: define({
    current: 2,
    producer: 'routing',
    description: 'The lead has one human owner (initial assignment, reassignment or stage handoff), with the reason.',
    versions: { 1: routing.LeadAssignedV1, 2: routing.LeadAssignedV2 },
    upcasters: { 1: routing.upcastLeadAssignedV1 },
  }),
  LeadQueued: define({
    current: 2,
    producer: 'routing',
    description: 'Nobody could take the lead; it waits in the unassigned queue (v2: names the owner it left).',
    versions: { 1: routing.LeadQueuedV1, 2: routing.LeadQueuedV2 },
    upcasters: { 1: routing.upcastLeadQueuedV1 },
  }),
  LeadInquiryRecorded: define({
    current: 1,
    producer: 'routing',
    description: 'A new lead below the policy\'s MQL threshold: recorded as an inquiry, not routed to sales.',
    versions: { 1: routing.LeadInquiryRecordedV1 },
    upcasters: {},
  }),
  RoutingWakeUp: define({
    current: 1,
    producer: 'routing',
    description: 'Routing\'s scheduled wake-up: a coverage window opens, a PTO ends or a shift override starts, so queued leads may be assigned.',
    versions: { 1: routing.RoutingWakeUpV1 },
    upcasters: {},
  }),
  RepRotationChanged: define({
    current: 1,
    producer: 'routing',
    description: 'A rep left or re-entered the round-robin rotation.',
    versions: { 1: routing.RepRotationChangedV1 },
    upcasters: {},
  }),
  SlaClockStarted: define({
    current: 1,
    producer: 'timer',
    description: 'An SLA clock started; carries its deadline and the clock math.',
    versions: { 1: timer.SlaClockStartedV1 },
    upcasters: {},
  }),
  SlaClockStopped: define({
    current: 1,
    producer: 'timer',
    description: 'An SLA clock stopped: met before its deadline, or cancelled.',
    versions: { 1: timer.SlaClockStoppedV1 },
    upcasters: {},
  }),
  SlaWarning: define({
    current: 1,
    producer: 'timer',
    description: 'An SLA deadline is near.',
    versions: { 1: timer.SlaWarningV1 },
    upcasters: {},
  }),
  SlaBreached: define({
    current: 1,
    producer: 'timer',
    description: 'An SLA deadline passed without the event that stops its clock, with the clock math.',
    versions: { 1: timer.SlaBreachedV1 },
    upcasters: {},
  }),
  SlaEscalated: define({
    current: 2,
    producer: 'timer',
    description: 'One step of the escalation ladder after a breach.',
    versions: { 1: timer.SlaEscalatedV1, 2: timer.SlaEscalatedV2 },
    upcasters: { 1: timer.upcastSlaEscalatedV1 },
  }),
  LeadAcknowledged: define({
    current: 1,
    producer: 'timer',
    description: 'An after-hours lead was acknowledged; its clocks start at the next coverage window.',
    versions: { 1: timer.LeadAcknowledgedV1 },
    upcasters: {},
  }),
  LeadDispositioned: define({
    current: 2,
    producer: 'external',
    description: 'A rep closed out or updated a lead with a standard disposition code.',
    versions: { 1: disposition.LeadDispositionedV1, 2: disposition.LeadDispositionedV2 },
    upcasters: { 1: disposition.upcastLeadDispositionedV1 },
  }),
  LeadAccepted: define({
    current: 2,
    producer: 'external',
    description: 'A request to accept the MQL (MQL → SAL), with who asked (v2: actor); applied only by a SalDecisionRecorded.',
    versions: { 1: disposition.LeadAcceptedV1, 2: disposition.LeadAcceptedV2 },
    upcasters: { 1: disposition.upcastLeadAcceptedV1 },
  }),
  LeadRejected: define({
    current: 3,
    producer: 'external',
    description: 'A request to reject the MQL back to marketing with a policy reason code (v2) and who asked (v3: actor); applied only by a SalDecisionRecorded.',
    versions: { 1: disposition.LeadRejectedV1, 2: disposition.LeadRejectedV2, 3: disposition.LeadRejectedV3 },
    upcasters: { 1: disposition.upcastLeadRejectedV1, 2: disposition.upcastLeadRejectedV2 },
  }),
  SalDecisionRecorded: define({
    current: 1,
    producer: 'disposition',
    description: 'An accept/reject request was valid and applied: the SAL decision is made (stops the accept/reject clock).',
    versions: { 1: disposition.SalDecisionRecordedV1 },
    upcasters: {},
  }),
  SalDecisionRefused: define({
    current: 1,
    producer: 'disposition',
    description: 'An accept/reject request was refused (not the owner, wrong stage, unknown reason code), with the problems; every clock keeps running.',
    versions: { 1: disposition.SalDecisionRefusedV1 },
    upcasters: {},
  }),
  DispositionRecorded: define({
    current: 1,
    producer: 'disposition',
    description: 'A disposition was valid and applied (closes says whether the lead is closed out).',
    versions: { 1: disposition.DispositionRecordedV1 },
    upcasters: {},
  }),
  DispositionRejected: define({
    current: 1,
    producer: 'disposition',
    description: 'A disposition was not applied, with the problems found.',
    versions: { 1: disposition.DispositionRejectedV1 },
    upcasters: {},
  }),
  LeadRecycled: define({
    current: 1,
    producer: 'disposition',
    description: 'The lead left its owner for a nurture track.',
    versions: { 1: disposition.LeadRecycledV1 },
    upcasters: {},
  }),
  LeadSuppressed: define({
    current: 1,
    producer: 'disposition',
    description: 'The lead is suppressed for good and never routed again.',
    versions: { 1: disposition.LeadSuppressedV1 },
    upcasters: {},
  }),
  LeadRequalified: define({
    current: 1,
    producer: 'disposition',
    description: 'A recycled lead re-qualified (time trigger or new intent signal) and goes back to routing.',
    versions: { 1: disposition.LeadRequalifiedV1 },
    upcasters: {},
  }),
  LeadStageChanged: define({
    current: 1,
    producer: 'disposition',
    description: 'The lead moved between funnel stages (inquiry → MQL → SAL → SQL → opportunity).',
    versions: { 1: disposition.LeadStageChangedV1 },
    upcasters: {},
  }),
  DataCleanupRequested: define({
    current: 1,
    producer: 'disposition',
    description: 'Bad contact data: the lead goes to the data-cleanup queue.',
    versions: { 1: disposition.DataCleanupRequestedV1 },
    upcasters: {},
  }),
  PolicyPublished: define({
    current: 1,
    producer: 'routing',
    description: 'A policy version was published (the whole document, who and why); one copy per partition, so every service switches at the same point of the log.',
    versions: { 1: policy.PolicyPublishedV1 },
    upcasters: {},
  }),
} as const;

export type EventType = keyof typeof EventCatalogue;

// Distributive over T: for a union of types, each type's own current version (not a mix of their versions).
type CurrentData<T extends EventType> = T extends unknown
  ? (typeof EventCatalogue)[T] extends { current: infer C extends number; versions: infer V }
    ? C extends keyof V
      ? V[C] extends z.ZodType
        ? z.output<V[C]>
        : never
      : never
    : never
  : never;

/** Every event as the domain sees it: always the current version's shape. */
export type LeadEvent = { [T in EventType]: EventEnvelope<T, CurrentData<T>> }[EventType];
export type EventOf<T extends EventType> = Extract<LeadEvent, { type: T }>;
export type EventData<T extends EventType> = CurrentData<T>;

export function isEventType(type: string): type is EventType {
  return Object.prototype.hasOwnProperty.call(EventCatalogue, type);
}

/** Commands and facts people (or their systems) assert through the HTTP APIs: each carries the verified `actor` (null only when upcast from v1). */
export const ActorCarryingTypes = ['LeadDispositioned', 'LeadAccepted', 'LeadRejected', 'RepReinstated', 'RepAvailabilityChanged', 'LeadReassignmentRequested'] as const satisfies readonly EventType[];
export type ActorCarryingType = (typeof ActorCarryingTypes)[number];

export function carriesActor(type: EventType): type is ActorCarryingType {
  return (ActorCarryingTypes as readonly EventType[]).includes(type);
}

import type { EventOf } from '@lead-sla/contracts';

/** The types routing consumes (the one list: the consumer skips every other type without validating it). */
export const routingInputTypes = [
  'LeadCreated', 'LeadRequalified', 'LeadTouched', 'SlaBreached', 'SlaEscalated', 'ContactBounced', 'ContactFixed',
  'RepAvailabilityChanged', 'RepReinstated', 'LeadReassignmentRequested', 'LeadRecycled', 'LeadSuppressed', 'ConsentWithdrawn', 'DataCleanupRequested', 'RoutingWakeUp', 'LeadStageChanged', 'LeadDispositioned', 'DispositionRecorded', 'DispositionRejected',
] as const;

/** The events routing consumes, already parsed and upcast to their current version. */
export type RoutingInputEvent = EventOf<(typeof routingInputTypes)[number]>;

/** The decisions routing publishes; evolve folds them like the inputs. */
export type RoutingOutputEvent = EventOf<'LeadAssigned' | 'LeadQueued' | 'LeadInquiryRecorded' | 'RepRotationChanged'>;

/** Everything that changes routing's state. */
export type RoutingFact = RoutingInputEvent | RoutingOutputEvent;

const factTypes: ReadonlySet<string> = new Set<RoutingFact['type']>([...routingInputTypes, 'LeadAssigned', 'LeadQueued', 'LeadInquiryRecorded', 'RepRotationChanged']);

export function isRoutingFact(event: { readonly type: string }): event is RoutingFact {
  return factTypes.has(event.type);
}

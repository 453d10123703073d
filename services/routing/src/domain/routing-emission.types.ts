import type { LeadAssignedData, LeadInquiryRecordedData, LeadQueuedData, RepRotationChangedData } from '@lead-sla/contracts';

/**
 * An event a routing use case decides to publish; the routing decider
 * numbers them into the runtime's emissions (derived ids).
 */
export type RoutingEmission =
  | { readonly type: 'LeadAssigned'; readonly leadId: string; readonly data: LeadAssignedData }
  | { readonly type: 'LeadQueued'; readonly leadId: string; readonly data: LeadQueuedData }
  | { readonly type: 'LeadInquiryRecorded'; readonly leadId: string; readonly data: LeadInquiryRecordedData }
  /** A fact about a rep: the envelope's leadId is null and the message is keyed by repId. */
  | { readonly type: 'RepRotationChanged'; readonly leadId: null; readonly data: RepRotationChangedData };

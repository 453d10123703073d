import type { EventData, EventType } from '@lead-sla/contracts';

/**
 * One event a pure decider wants published. The service runtime turns it
 * into an envelope (libs/messaging `eventFrom`); `step` must be unique among
 * the emissions of one cause (it is part of the derived event id).
 */
export type Emission<T extends EventType = EventType> = T extends unknown
  ? {
      readonly type: T;
      readonly data: EventData<T>;
      readonly step: string;
      /** The lead the event is about; defaults to the cause's lead. null: keyed by data.repId. */
      readonly leadId?: string | null;
    }
  : never;

export function emission<T extends EventType>(type: T, step: string, data: EventData<T>, leadId?: string | null): Emission<T> {
  return (leadId === undefined ? { type, step, data } : { type, step, data, leadId }) as Emission<T>;
}

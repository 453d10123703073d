import { Injectable } from '@nestjs/common';
import type { LeadEvent } from '@lead-sla/contracts';
import type { DeciderService, SaveContext } from '@lead-sla/messaging';
import type { Tx } from '@lead-sla/platform';
import { clockInstanceKeyOf } from '../projections/clock-instance.projection';
import { leadRowKeyOf } from '../projections/lead-row.projection';
import { repRotationKeyOf } from '../projections/rep-rotation.projection';
import { ProjectionStore } from './projection-store.repository';
import { REPORTING_INPUT_TYPES, reportingProjections, type ReportingEnvironment, type ReportingState } from './reporting-projections.evolve';

/** The clock instance ids a batch touches (loaded with their leads, in the same batch). */
export function clockIdsOf(events: readonly LeadEvent[]): string[] {
  return [...new Set(events.flatMap((e) => clockInstanceKeyOf(e) ?? []))];
}

/** The reps whose rotation status a batch changes (loaded with its leads, in the same batch). */
export function repIdsOf(events: readonly LeadEvent[]): string[] {
  return [...new Set(events.flatMap((e) => repRotationKeyOf(e) ?? []))];
}

/**
 * Reporting's projections as a service of the kit: one load of the rows a
 * batch touches, the pure fold (reporting-projections.evolve.ts), one save
 * with a multi-row statement per table, and a notice to board listeners at
 * commit. Bound as the service's consumer with `provideDecider`.
 */
@Injectable()
export class ReportingDeciderService implements DeciderService<LeadEvent, ReportingState, ReportingEnvironment> {
  readonly inputTypes = REPORTING_INPUT_TYPES;
  /** Reporting decides nothing: its projections are the whole state. */
  readonly outputTypes = [] as const;
  readonly decide = reportingProjections.decide;
  readonly evolve = reportingProjections.evolve;

  constructor(private readonly store: ProjectionStore) {}

  keysOf(input: LeadEvent): readonly string[] {
    const leadId = leadRowKeyOf(input);
    return leadId === null ? [] : [leadId];
  }

  load(tx: Tx, leadIds: readonly string[], inputs: readonly LeadEvent[]): Promise<ReportingState> {
    return this.store.load(tx, leadIds, clockIdsOf(inputs), repIdsOf(inputs), inputs.some((i) => i.type === 'PolicyPublished'));
  }

  environment(): ReportingEnvironment {
    return null;
  }

  async save(tx: Tx, before: ReportingState, after: ReportingState, _ctx: SaveContext): Promise<void> {
    await this.store.save(tx, before, after, { notify: true, cells: true });
  }
}

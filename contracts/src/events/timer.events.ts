import { z } from 'zod';
import { Id, Instant } from './common.schema';

export const ClockKind = z.enum([
  'assign',
  'first_touch',
  'second_touch',
  'accept_reject',
  'response',
  'effort',
  'reply_escalation',
  'unassigned_queue',
  /** Time a lead spends with the data-cleanup owner after a bounce, until the fix returns it. */
  'data_cleanup',
]);
export type ClockKind = z.infer<typeof ClockKind>;

/** The inputs and result of a deadline computation, so a person can check it. */
export const ClockMath = z
  .object({
    startedAt: Instant,
    /** The first covered instant at or after startedAt. */
    coverageStart: Instant,
    coverageMinutes: z.number().positive(),
    deadline: Instant,
    calendarId: Id,
    timeZone: z.string(),
  })
  .strict();
export type ClockMath = z.infer<typeof ClockMath>;

const ClockFacts = {
  clockId: Id,
  clock: ClockKind,
  tier: z.string(),
  ownerRepId: Id.nullable(),
  teamId: Id.nullable(),
  managerId: Id.nullable(),
  math: ClockMath,
  policyVersion: z.string().min(1),
};

export const SlaWarningV1 = z.object({ ...ClockFacts, warnAt: Instant }).strict();
export type SlaWarningData = z.infer<typeof SlaWarningV1>;

export const SlaBreachedV1 = z.object({ ...ClockFacts }).strict();
export type SlaBreachedData = z.infer<typeof SlaBreachedV1>;

export const EscalationAction = z.enum(['remind_owner', 'escalate_manager', 'reassign']);
export type EscalationAction = z.infer<typeof EscalationAction>;

/** One step of the escalation ladder after a breach; step 1 is the first after the breach. */
export const SlaEscalatedV1 = z
  .object({ ...ClockFacts, step: z.number().int().positive(), action: EscalationAction, lastStep: z.boolean() })
  .strict();
export type SlaEscalatedData = z.infer<typeof SlaEscalatedV1>;

/** An after-hours lead got an immediate acknowledgement; its clocks count from coverageStart. */
export const LeadAcknowledgedV1 = z
  .object({ calendarId: Id, timeZone: z.string(), coverageStart: Instant, policyVersion: z.string().min(1) })
  .strict();
export type LeadAcknowledgedData = z.infer<typeof LeadAcknowledgedV1>;

/** A clock started (or restarted for a new owner): the deadline is known from now on (live countdowns). */
export const SlaClockStartedV1 = z.object({ ...ClockFacts }).strict();
export type SlaClockStartedData = z.infer<typeof SlaClockStartedV1>;

/** A clock stopped: met (its stopping event came strictly before the deadline) or cancelled (owner change, close-out). */
export const SlaClockStoppedV1 = z
  .object({
    clockId: Id,
    clock: ClockKind,
    outcome: z.enum(['met', 'cancelled']),
    stoppedAt: Instant,
    deadline: Instant,
    ownerRepId: Id.nullable(),
    policyVersion: z.string().min(1),
  })
  .strict();
export type SlaClockStoppedData = z.infer<typeof SlaClockStoppedV1>;

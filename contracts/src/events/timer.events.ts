import { z } from 'zod';
import { Channel, Id, Instant } from './common.schema';

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

/** The ladder actions of SlaEscalated v1 (never edited). */
const EscalationActionV1 = z.enum(['remind_owner', 'escalate_manager', 'reassign']);

/**
 * What a ladder step does: remind the owner; escalate to the owner and the
 * manager; reassign; or (v2) schedule a touch task for the owner — the
 * reply clock's "touch again tomorrow, on more than one channel".
 */
export const EscalationAction = z.enum(['remind_owner', 'escalate_manager', 'reassign', 'schedule_touch_task']);
export type EscalationAction = z.infer<typeof EscalationAction>;

/** One step of the escalation ladder after a breach; step 1 is the first after the breach. */
export const SlaEscalatedV1 = z
  .object({ ...ClockFacts, step: z.number().int().positive(), action: EscalationActionV1, lastStep: z.boolean() })
  .strict();
export type SlaEscalatedV1Data = z.infer<typeof SlaEscalatedV1>;

/**
 * The task a `schedule_touch_task` step gives the owner: touch the lead again by `dueAt`, on these channels
 * (the lead's; empty when the timer never learnt them).
 */
export const TouchTask = z.object({ dueAt: Instant, channels: z.array(Channel) }).strict();
export type TouchTask = z.infer<typeof TouchTask>;

/** v2: the `schedule_touch_task` action, and the task it schedules. */
export const SlaEscalatedV2 = z
  .object({ ...ClockFacts, step: z.number().int().positive(), action: EscalationAction, lastStep: z.boolean(), task: TouchTask.optional() })
  .strict()
  .refine((d) => (d.action === 'schedule_touch_task') === (d.task !== undefined), { message: 'a schedule_touch_task step carries its task, and only that step does', path: ['task'] });
export type SlaEscalatedData = z.infer<typeof SlaEscalatedV2>;

/** Every v1 step is a v2 step with the same action and no task. */
export function upcastSlaEscalatedV1(v1: SlaEscalatedV1Data): SlaEscalatedData {
  return v1;
}

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

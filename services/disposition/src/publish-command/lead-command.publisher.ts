import { randomUUID } from 'node:crypto';
import { ConflictException, ForbiddenException, HttpException, Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { deterministicId, type EventData, type EventOf } from '@lead-sla/contracts';
import { OutboxWriter } from '@lead-sla/messaging';
import { buildEvent } from '@lead-sla/decider';
import type { Clock } from '@lead-sla/platform';
import { CLOCK, DATA_SOURCE, PolicyProvider } from '@lead-sla/service-runtime';
import type { ContactState } from '../domain/contact-state';
import type { DeciderContext, InputEvent } from '../domain/decision';
import { unknownLeadProblem } from '../domain/lead-checks.util';
import { ContactStateRepository } from '../contact-state/contact-state.repository';

export type CommandType = 'LeadDispositioned' | 'LeadAccepted' | 'LeadRejected';

export interface Published {
  readonly eventId: string;
  readonly type: CommandType;
  readonly leadId: string;
}

/**
 * What the HTTP endpoints share: the lead's current state and decider
 * context for validation, and publishing the accepted request as an event
 * through the service's outbox writer. The event path then applies it —
 * and validates it again, so a request raced by another change is still
 * refused there with a DispositionRejected.
 */
@Injectable()
export class LeadCommandPublisher {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly policies: PolicyProvider,
    private readonly repository: ContactStateRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  context(): DeciderContext {
    return { policy: this.policies.current(), now: this.clock.now() };
  }

  /** The state of the lead's contact; 404 when the lead has not reached this service (yet). */
  async stateOf(leadId: string): Promise<ContactState> {
    const state = await this.repository.readByLead(this.reader(), leadId);
    if (!state) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: unknownLeadProblem(leadId), problems: [unknownLeadProblem(leadId)] });
    return state;
  }

  /** 422 with the same sentences the event path puts in its refusal (and the published request's id, when it was published). */
  unprocessable(leadId: string, problems: readonly string[], eventId?: string): UnprocessableEntityException {
    return new UnprocessableEntityException({ ...this.refusalBody(422, 'Unprocessable Entity', leadId, problems), ...(eventId ? { eventId } : {}) });
  }

  /** 403 (the rep may not decide for this lead) or 409 (the lead's state does not allow it), with the refusal's sentences. */
  refused(status: 403 | 409, leadId: string, problems: readonly string[], eventId: string): HttpException {
    const body = { ...this.refusalBody(status, status === 403 ? 'Forbidden' : 'Conflict', leadId, problems), eventId };
    return status === 403 ? new ForbiddenException(body) : new ConflictException(body);
  }

  private refusalBody(statusCode: number, error: string, leadId: string, problems: readonly string[]) {
    return { statusCode, error, message: problems.join('; '), leadId, problems, policyVersion: this.policies.current().version };
  }

  /**
   * Validates (`check` gets the command's event) and publishes the command
   * as that event. `check` throws the 4xx for a request that must leave no
   * trace; it returns an exception for a request that is refused but still
   * recorded (the event path then logs the refusal as an event), which is
   * thrown once the event is published. With an Idempotency-Key the event
   * id is derived from it, so a retried request is the same event and is
   * applied once; a retry after the first one was published or applied gets
   * the same 202 without being validated again against the state the first
   * one changed. A refused request does not claim its key.
   */
  async publish<T extends CommandType>(
    type: T,
    leadId: string,
    data: EventData<T>,
    idempotencyKey: string | undefined,
    check: (command: InputEvent<T>) => Promise<HttpException | void>,
  ): Promise<Published> {
    const eventId = idempotencyKey ? deterministicId('http', type, leadId, idempotencyKey) : randomUUID();
    if (idempotencyKey && (await this.repository.commandSeen(this.reader(), eventId))) return { eventId, type, leadId };
    const now = this.clock.now();
    const command = buildEvent({ type, eventId, occurredAt: now, recordedAt: now, leadId, correlationId: leadId, causationId: null, data });
    const refusal = await check(command as EventOf<T> as InputEvent<T>);
    await this.outbox.transaction(async (tx, emit) => {
      // The key's record and the outbox row commit together: a concurrent retry that lost the race publishes nothing.
      if (idempotencyKey && !refusal && !(await this.repository.claimCommand(tx, eventId, type, leadId))) return;
      emit([command]);
    });
    if (refusal) throw refusal;
    return { eventId, type, leadId };
  }

  private reader() {
    return { query: <R>(sql: string, params?: readonly unknown[]) => this.dataSource.query(sql, params as unknown[]) as Promise<R[]> };
  }
}

import { randomUUID } from 'node:crypto';
import { Inject, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { deterministicId, EventCatalogue, type EventData, type EventOf } from '@lead-sla/contracts';
import { currentTraceHeaders, insertOutboxRows, outboxRowForEvent } from '@lead-sla/messaging';
import { inTransaction, type Clock } from '@lead-sla/platform';
import { CLOCK, DATA_SOURCE, MessagingLifecycle, PolicyProvider } from '@lead-sla/service-runtime';
import type { ContactState } from '../domain/contact-state';
import type { DeciderContext } from '../domain/decision';
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
 * through the outbox (one transaction, then the relay). The event path
 * then applies it — and validates it again, so a request raced by another
 * change is still refused there with a DispositionRejected.
 */
@Injectable()
export class LeadCommandPublisher {
  constructor(
    @Inject(DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly policies: PolicyProvider,
    private readonly repository: ContactStateRepository,
    private readonly messaging: MessagingLifecycle,
  ) {}

  context(): DeciderContext {
    return { policy: this.policies.current(), now: this.clock.now() };
  }

  /** The state of the lead's contact; 404 when the lead has not reached this service (yet). */
  async stateOf(leadId: string): Promise<ContactState> {
    const state = await this.repository.readByLead({ query: (sql, params) => this.dataSource.query(sql, params as unknown[]) }, leadId);
    if (!state) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: unknownLeadProblem(leadId), problems: [unknownLeadProblem(leadId)] });
    return state;
  }

  /** 422 with the same sentences the event path puts in its refusal. */
  unprocessable(leadId: string, problems: readonly string[]): UnprocessableEntityException {
    return new UnprocessableEntityException({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: problems.join('; '),
      leadId,
      problems,
      policyVersion: this.policies.current().version,
    });
  }

  /**
   * Validates (`check`, which throws the 4xx) and publishes the command as
   * an event. With an Idempotency-Key the event id is derived from it, so a
   * retried request is the same event and is applied once; a retry after
   * the first one was published or applied gets the same 202 without being
   * validated again against the state the first one changed.
   */
  async publish<T extends CommandType>(type: T, leadId: string, data: EventData<T>, idempotencyKey: string | undefined, check: () => Promise<void>): Promise<Published> {
    const eventId = idempotencyKey ? deterministicId('http', type, leadId, idempotencyKey) : randomUUID();
    if (idempotencyKey && (await this.seen(eventId))) return { eventId, type, leadId };
    await check();
    const now = this.clock.now().toISOString();
    const event = {
      type,
      version: EventCatalogue[type].current,
      eventId,
      occurredAt: now,
      recordedAt: now,
      leadId,
      correlationId: leadId,
      causationId: null,
      data,
    } as unknown as EventOf<T>;
    const published = await inTransaction(this.dataSource, async (tx) => {
      // The key's record and the outbox row commit together: a concurrent retry that lost the race publishes nothing.
      if (idempotencyKey) {
        const claimed = await tx.execute('INSERT INTO disposition.http_commands (event_id, type, lead_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [eventId, type, leadId]);
        if (claimed === 0) return false;
      }
      await insertOutboxRows(tx, 'disposition', [outboxRowForEvent(event, currentTraceHeaders())]);
      return true;
    });
    if (published) this.messaging.relay.kick();
    return { eventId, type, leadId };
  }

  /** Already published for an earlier request with the same Idempotency-Key. */
  private async seen(eventId: string): Promise<boolean> {
    const rows = await this.dataSource.query('SELECT 1 FROM disposition.http_commands WHERE event_id = $1', [eventId]);
    return rows.length > 0;
  }
}

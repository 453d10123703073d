import type { LeadTouchedData } from '@lead-sla/contracts';

/**
 * An owned touch (DOMAIN.md): a personal, logged, outbound contact by the
 * lead's owner at the time. Marketing auto-responders, sequences, inbound
 * replies and touches by anyone else never count — they stop no clock,
 * free no capacity and count toward no effort.
 */
export function isOwnedTouch(touch: Pick<LeadTouchedData, 'repId' | 'personal' | 'automated' | 'direction'>, ownerRepId: string | null): boolean {
  return ownerRepId !== null && touch.repId === ownerRepId && touch.personal && !touch.automated && touch.direction === 'outbound';
}

/** An inbound reply: the person reaching us (stops the reply clock, is never an attempt). */
export function isInboundReply(touch: Pick<LeadTouchedData, 'direction'>): boolean {
  return touch.direction === 'inbound';
}

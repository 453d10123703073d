import { z } from 'zod';
import { Channel, Id, IntentTier } from './common.schema';

/** LeadCreated v1: the original flat shape, kept only to upcast old events. */
export const LeadCreatedV1 = z
  .object({
    source: z.string().min(1),
    segment: z.string().min(1),
    territory: z.string().min(1),
    tier: IntentTier,
    email: z.string().optional(),
    phone: z.string().optional(),
    company: z.string().optional(),
  })
  .strict();
export type LeadCreatedV1Data = z.infer<typeof LeadCreatedV1>;

/** LeadCreated v2 (current): published by marketing automation / CRM / ingest. */
export const LeadCreatedV2 = z
  .object({
    source: z.string().min(1),
    segment: z.string().min(1),
    territory: z.string().min(1),
    intentTier: IntentTier,
    score: z.number().optional(),
    vip: z.boolean().default(false),
    contact: z
      .object({
        /** Stable identity of the person, used for the duplicate window and suppression. */
        contactKey: z.string().min(1),
        name: z.string().optional(),
        email: z.string().optional(),
        phone: z.string().optional(),
      })
      .strict(),
    channels: z.array(Channel).min(1),
    accountDomain: z.string().min(1).optional(),
    consent: z
      .object({ email: z.boolean(), phone: z.boolean(), sms: z.boolean() })
      .strict()
      .optional(),
  })
  .strict();
export type LeadCreatedData = z.infer<typeof LeadCreatedV2>;

/** A v1 lead had no explicit channels or contact key: derive them from what it had. */
export function upcastLeadCreatedV1(v1: LeadCreatedV1Data): LeadCreatedData {
  const channels: Channel[] = [];
  if (v1.phone) channels.push('phone');
  if (v1.email) channels.push('email');
  if (channels.length === 0) channels.push('email');
  const contactKey = (v1.email ?? v1.phone ?? `unknown:${v1.source}`).toLowerCase();
  const domain = v1.company ? v1.company.toLowerCase() : undefined;
  return {
    source: v1.source,
    segment: v1.segment,
    territory: v1.territory,
    intentTier: v1.tier,
    vip: false,
    contact: { contactKey, email: v1.email, phone: v1.phone },
    channels,
    ...(domain ? { accountDomain: domain } : {}),
  };
}

/** A logged contact attempt (or an inbound reply) on a lead. */
export const LeadTouchedV1 = z
  .object({
    repId: Id,
    channel: Channel,
    direction: z.enum(['outbound', 'inbound']).default('outbound'),
    /** false for marketing auto-responders and sequences: they never stop a clock. */
    personal: z.boolean(),
    automated: z.boolean().default(false),
    outcome: z.enum(['connected', 'no_answer', 'voicemail', 'sent', 'replied']).optional(),
  })
  .strict();
export type LeadTouchedData = z.infer<typeof LeadTouchedV1>;

export const ContactBouncedV1 = z
  .object({ channel: Channel, detail: z.string().max(500).optional() })
  .strict();
export type ContactBouncedData = z.infer<typeof ContactBouncedV1>;

export const ContactFixedV1 = z
  .object({ channel: Channel, fixedBy: Id.optional() })
  .strict();
export type ContactFixedData = z.infer<typeof ContactFixedV1>;

export const ConsentWithdrawnV1 = z
  .object({ channels: z.array(Channel).optional(), detail: z.string().max(500).optional() })
  .strict();
export type ConsentWithdrawnData = z.infer<typeof ConsentWithdrawnV1>;


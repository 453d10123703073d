import { z } from 'zod';

export const Instant = z.iso.datetime({ offset: true });
export const Id = z.string().min(1).max(200);
export const Channel = z.enum(['phone', 'email', 'sms', 'linkedin']);
export type Channel = z.infer<typeof Channel>;
export const IntentTier = z.enum(['hot', 'warm', 'cold']);
export type IntentTier = z.infer<typeof IntentTier>;
export const FunnelStage = z.enum(['inquiry', 'mql', 'sal', 'sql', 'opportunity']);
export type FunnelStage = z.infer<typeof FunnelStage>;

/**
 * Who made an HTTP command, as the receiving service verified it (never as the
 * request body says): a person signed in through the identity provider (`id`
 * is their directory id in the policy), an API key (`id` is the key id), or
 * the single user of the local demo mode. `null` in upcast v1 events: they
 * were published before identity existed, so who asked is not known.
 */
export const Actor = z
  .object({
    kind: z.enum(['person', 'api_key', 'demo']),
    id: Id,
    role: z.enum(['rep', 'manager', 'admin', 'machine']),
  })
  .strict();
export type Actor = z.infer<typeof Actor>;

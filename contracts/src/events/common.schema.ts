import { z } from 'zod';

export const Instant = z.iso.datetime({ offset: true });
export const Id = z.string().min(1).max(200);
export const Channel = z.enum(['phone', 'email', 'sms', 'linkedin']);
export type Channel = z.infer<typeof Channel>;
export const IntentTier = z.enum(['hot', 'warm', 'cold']);
export type IntentTier = z.infer<typeof IntentTier>;
export const FunnelStage = z.enum(['inquiry', 'mql', 'sal', 'sql', 'opportunity']);
export type FunnelStage = z.infer<typeof FunnelStage>;

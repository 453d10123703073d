import type { FunnelStage } from '@lead-sla/contracts';
import { emission, type Emission } from '../domain/decision';

/** One LeadStageChanged; its step names the target stage (plus a suffix when one cause moves several leads). */
export function stageChange(
  leadId: string,
  from: FunnelStage,
  to: FunnelStage,
  by: string | null,
  reason: string | null,
  causeEventId: string,
  stepSuffix = '',
): Emission<'LeadStageChanged'> {
  return emission('LeadStageChanged', leadId, `stage:${to}${stepSuffix}`, causeEventId, { from, to, by, reason });
}

import type { FunnelStage } from '@lead-sla/contracts';
import { emission, type Emission } from '@lead-sla/decider';

/** One LeadStageChanged; its step names the target stage (plus a suffix when one cause moves several leads). */
export function stageChange(
  leadId: string,
  from: FunnelStage,
  to: FunnelStage,
  by: string | null,
  reason: string | null,
  stepSuffix = '',
): Emission<'LeadStageChanged'> {
  return emission('LeadStageChanged', `stage:${to}${stepSuffix}`, { from, to, by, reason }, leadId);
}

import { closeOutRequirements, type DispositionCodePolicy, type DispositionsPolicy } from '@lead-sla/policy';

export type RequalifyTrigger = 'time' | 'signal' | 'time_or_signal';

/** What applying a code does to the lead, beyond recording it. */
export type DispositionEffect =
  | { readonly kind: 'none' }
  | { readonly kind: 'qualify' }
  | {
      readonly kind: 'recycle';
      readonly nurtureTrack: string;
      readonly trigger: RequalifyTrigger;
      /** Null for a signal-only trigger. */
      readonly afterDays: number | null;
    }
  | { readonly kind: 'suppress' }
  | { readonly kind: 'data_cleanup' };

export interface DispositionRule {
  readonly code: string;
  readonly label: string;
  readonly closes: boolean;
  readonly requiresReason: boolean;
  readonly requiresNextStep: boolean;
  readonly requiresMinimumEffort: boolean;
  readonly effect: DispositionEffect;
  /** One sentence for UIs and error messages. */
  readonly summary: string;
}

export type DispositionCatalogue = ReadonlyMap<string, DispositionRule>;

function effectOf(c: DispositionCodePolicy): DispositionEffect {
  switch (c.outcome) {
    case 'none':
    case 'qualify':
    case 'suppress':
    case 'data_cleanup':
      return { kind: c.outcome };
    case 'recycle':
      // The policy schema refuses a recycling code without a track and a trigger.
      if (!c.nurtureTrack || !c.requalify) throw new Error(`policy code "${c.code}" recycles without a nurtureTrack or requalify trigger`);
      return {
        kind: 'recycle',
        nurtureTrack: c.nurtureTrack,
        trigger: c.requalify.trigger,
        afterDays: c.requalify.trigger === 'signal' ? null : (c.requalify.afterDays ?? null),
      };
    default: {
      const unknown: never = c.outcome;
      throw new Error(`policy code "${c.code}" has unknown outcome "${String(unknown)}"`);
    }
  }
}

function describeEffect(e: DispositionEffect): string {
  switch (e.kind) {
    case 'none':
      return 'no further effect';
    case 'qualify':
      return 'moves the lead to SQL (an SQL to opportunity)';
    case 'suppress':
      return 'suppresses the contact for good';
    case 'data_cleanup':
      return 'sends the lead to the data-cleanup queue';
    case 'recycle': {
      const when =
        e.trigger === 'signal'
          ? 'on a new intent signal'
          : e.trigger === 'time'
            ? `after ${e.afterDays} days`
            : `after ${e.afterDays} days or on a new intent signal`;
      return `recycles to nurture track "${e.nurtureTrack}", re-qualified ${when}`;
    }
    default: {
      const unknown: never = e;
      return String(unknown);
    }
  }
}

function summarise(c: DispositionCodePolicy, effect: DispositionEffect): string {
  const parts = [c.closes ? 'closes the lead' : 'keeps the lead open'];
  const requires = closeOutRequirements(c);
  if (requires.reason) parts.push('requires a reason');
  if (requires.nextStep) parts.push('requires a next step');
  if (c.requiresMinimumEffort) parts.push('requires the minimum effort first');
  parts.push(describeEffect(effect));
  return `${c.label ?? c.code} ("${c.code}"): ${parts.join('; ')}`;
}

/** The policy's disposition codes, by code, with what each one does. */
export function dispositionCatalogue(policy: DispositionsPolicy): DispositionCatalogue {
  return new Map(
    policy.codes.map((c) => {
      const effect = effectOf(c);
      const requires = closeOutRequirements(c);
      const rule: DispositionRule = {
        code: c.code,
        label: c.label ?? c.code,
        closes: c.closes,
        requiresReason: requires.reason,
        requiresNextStep: requires.nextStep,
        requiresMinimumEffort: c.requiresMinimumEffort,
        effect,
        summary: summarise(c, effect),
      };
      return [c.code, rule] as const;
    }),
  );
}

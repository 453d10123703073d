import type { Channel } from '@lead-sla/contracts';

/**
 * The policy's `clocks.secondTouchChannel`: whether the second owned touch
 * must be on another channel than the first when the lead can be reached on
 * another one. `require`: a touch on the same channel does not meet the
 * second-touch clock; `prefer`: it does, and reporting flags the lead; `any`:
 * every channel counts.
 */
export type SecondTouchChannel = 'require' | 'prefer' | 'any';

/** The second touch is on another channel than the first, or the lead has no other channel to try. */
export function secondTouchOnAnotherChannel(firstChannel: Channel, touchChannel: Channel, leadChannels: readonly Channel[]): boolean {
  return touchChannel !== firstChannel || !leadChannels.some((c) => c !== firstChannel);
}

/** Whether an owned touch meets the second-touch clock under the policy. */
export function meetsSecondTouch(rule: SecondTouchChannel, firstChannel: Channel, touchChannel: Channel, leadChannels: readonly Channel[]): boolean {
  return rule !== 'require' || secondTouchOnAnotherChannel(firstChannel, touchChannel, leadChannels);
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePolicy, type Policy } from '@lead-sla/policy';
import type { ChannelName, Routes } from './notification-audience.rule';

const example = readFileSync(join(__dirname, '../../../../infra/policy/example.policy.yaml'), 'utf8');

/** The example policy, with gus managed by mgr-gus (a rep's own manager overriding the team's). */
export const notificationPolicy: Policy = parsePolicy(
  example.replace('{ id: gus, name: Gus, teamId: strategic, capacity: 10 }', '{ id: gus, name: Gus, teamId: strategic, managerId: mgr-gus, capacity: 10 }'),
  'example.policy.yaml (notifications fixture)',
);

/** A policy with the given directory entries and team contacts added (YAML flow mappings). */
export function policyWith(edit: (yaml: string) => string): Policy {
  return parsePolicy(edit(example), 'example.policy.yaml (edited by a notifications spec)');
}

/**
 * The routes of a configuration: Slack as the company-wide webhook only (as
 * before the directory) unless a bot token reaches every address or incoming
 * webhooks reach the listed channels.
 */
export function routesFor(channels: readonly ChannelName[], slack: { bot?: boolean; channelWebhooks?: readonly string[]; companyWebhook?: boolean } = {}): Routes {
  const direct = slack.bot || (slack.channelWebhooks?.length ?? 0) > 0;
  return {
    channels,
    slackReaches: (address) => !!slack.bot || (slack.channelWebhooks ?? []).includes(address),
    slackCompanyWebhook: slack.companyWebhook ?? !direct,
  };
}

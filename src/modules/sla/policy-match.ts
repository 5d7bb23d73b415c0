import type { Channel, Priority } from '../../db/schema/conversations.js';
import type { SlaConditions } from '../../db/schema/sla.js';

/** What a policy's conditions look at: the conversation and its customer's tier. */
export type PolicyFacts = {
  priority: Priority;
  channel: Channel;
  teamId: number | null;
  tags: string[];
  tier: string | null;
};

const any = <T>(list: T[] | undefined): list is undefined => !list || list.length === 0;

/** Every condition that is set must hold; an absent or empty one is "any". */
export function policyMatches(conditions: SlaConditions, f: PolicyFacts): boolean {
  if (!any(conditions.priorities) && !conditions.priorities.includes(f.priority)) return false;
  if (!any(conditions.channels) && !conditions.channels.includes(f.channel)) return false;
  if (!any(conditions.teamIds) && (f.teamId === null || !conditions.teamIds.includes(f.teamId))) return false;
  if (!any(conditions.tags) && !conditions.tags.some((t) => f.tags.includes(t))) return false;
  if (!any(conditions.tiers)) {
    const tier = f.tier?.toLowerCase();
    if (!tier || !conditions.tiers.some((t) => t.toLowerCase() === tier)) return false;
  }
  return true;
}

/** The first policy, in order, whose conditions hold; undefined when none does. */
export function choosePolicy<P extends { conditions: SlaConditions }>(
  ordered: P[],
  facts: PolicyFacts,
): P | undefined {
  return ordered.find((p) => policyMatches(p.conditions, facts));
}

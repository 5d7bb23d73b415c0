import type { Channel } from '../../db/schema/conversations.js';
import type { ChannelCapacity, RoutingMode } from '../../db/schema/routing.js';

/** An online member of the team, with their open work (all teams) and the capacity that applies here. */
export type Candidate = {
  personId: number;
  /** Open conversations (new, open, pending, on hold) per channel. */
  open: Partial<Record<Channel, number>>;
  total: number;
  /** The team's capacity with the member's own over it; a channel not named has no limit. */
  capacity: ChannelCapacity;
  /** When routing last gave them a conversation; null: never. */
  lastAssignedAt: Date | null;
  /** Order of assignments within one sweep (they share one clock time): later is larger. */
  seq: number;
};

export type Choice = { personId: number; reason: string };

export const hasRoom = (c: Candidate, channel: Channel): boolean => {
  const max = c.capacity[channel];
  return max === undefined || (c.open[channel] ?? 0) < max;
};

/** The team's capacity for a channel, overridden channel by channel by the member's own. */
export const effectiveCapacity = (
  team: ChannelCapacity,
  member: ChannelCapacity | undefined,
): ChannelCapacity => ({
  ...team,
  ...member,
});

const waitedLonger = (a: Candidate, b: Candidate): number => {
  const ta = a.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  const tb = b.lastAssignedAt?.getTime() ?? Number.NEGATIVE_INFINITY;
  return ta - tb || a.seq - b.seq;
};

/**
 * Who gets a conversation on `channel`, among the online members with room for it (pure: no I/O, no clock).
 * - round robin: members in a fixed order (by id); the first with room after the one who got the last
 *   conversation (`lastPersonId`), wrapping around. Someone full or offline is passed over, not waited for.
 * - least busy: the fewest open conversations (all channels, all teams); a tie goes to whoever has waited
 *   longest since routing last gave them one (never beats any time), then the lower id.
 * Null when nobody has room: the conversation stays in the queue.
 */
export function chooseAgent(
  mode: Exclude<RoutingMode, 'manual'>,
  candidates: readonly Candidate[],
  channel: Channel,
  lastPersonId: number | null,
): Choice | null {
  const eligible = candidates.filter((c) => hasRoom(c, channel)).sort((a, b) => a.personId - b.personId);
  if (eligible.length === 0) return null;
  if (mode === 'round_robin') {
    const next = eligible.find((c) => lastPersonId === null || c.personId > lastPersonId) ?? eligible[0]!;
    return { personId: next.personId, reason: 'next in rotation' };
  }
  const best = [...eligible].sort(
    (a, b) => a.total - b.total || waitedLonger(a, b) || a.personId - b.personId,
  )[0]!;
  return { personId: best.personId, reason: `fewest open conversations (${best.total})` };
}

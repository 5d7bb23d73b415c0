/**
 * Front-line authority, pure (README "Front-line authority"): amounts in minor units, and which of an agent's
 * limits a grant would exceed. The service loads the limit and what was already spent, under a lock.
 */
import { DateTime } from 'luxon';
import type { ResolutionUnit } from '../../db/schema/authority.js';

/** What one role or person may grant of one action on their own (null: no cap on that one). */
export type Limit = {
  perAction: number | null;
  perConversation: number | null;
  perDay: number | null;
  perMonth: number | null;
};

/** What was already granted without approval: by this agent today and this month, on this conversation, and by
 * the whole workspace today. */
export type Spent = { conversation: number; day: number; month: number; workspaceDay: number };

export type Exceeded =
  | 'no_authority'
  | 'per_action'
  | 'per_conversation'
  | 'per_day'
  | 'per_month'
  | 'workspace_per_day';

/** The limits a grant of `amount` would go past; empty: within the agent's authority, it applies now. */
export function exceededLimits(
  limit: Limit | null,
  spent: Spent,
  amount: number,
  workspacePerDay: number | null,
): Exceeded[] {
  if (!limit) return ['no_authority'];
  const out: Exceeded[] = [];
  const over = (cap: number | null, used: number) => cap !== null && used + amount > cap;
  if (over(limit.perAction, 0)) out.push('per_action');
  if (over(limit.perConversation, spent.conversation)) out.push('per_conversation');
  if (over(limit.perDay, spent.day)) out.push('per_day');
  if (over(limit.perMonth, spent.month)) out.push('per_month');
  if (over(workspacePerDay, spent.workspaceDay)) out.push('workspace_per_day');
  return out;
}

/** Money in minor units (cents, at most two decimals), a count as it is (a whole number). Null: not valid. */
export function toMinor(amount: number, unit: ResolutionUnit): number | null {
  if (!Number.isFinite(amount) || amount <= 0) return null;
  if (unit === 'count') return Number.isInteger(amount) ? amount : null;
  const cents = Math.round(amount * 100);
  return Math.abs(cents - amount * 100) < 1e-6 ? cents : null;
}

export const fromMinor = (minor: number, unit: ResolutionUnit): number =>
  unit === 'count' ? minor : minor / 100;

/** The start of the day and of the month `now` is in, in the workspace's time zone. */
export function periodStarts(now: Date, zone: string): { day: Date; month: Date } {
  const local = DateTime.fromJSDate(now, { zone });
  const at = local.isValid ? local : DateTime.fromJSDate(now, { zone: 'UTC' });
  return { day: at.startOf('day').toJSDate(), month: at.startOf('month').toJSDate() };
}

export const defaultCatalogue: Array<{ kind: string; name: string; unit: ResolutionUnit }> = [
  { kind: 'refund', name: 'Refund', unit: 'currency' },
  { kind: 'credit', name: 'Account credit', unit: 'currency' },
  { kind: 'replacement', name: 'Replacement', unit: 'count' },
  { kind: 'discount', name: 'Discount', unit: 'currency' },
  { kind: 'fee_waiver', name: 'Fee waiver', unit: 'currency' },
  { kind: 'upgrade', name: 'Upgrade', unit: 'count' },
  { kind: 'gift', name: 'Goodwill gift', unit: 'currency' },
];

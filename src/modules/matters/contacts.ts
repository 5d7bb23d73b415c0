/**
 * What counts as a contact, and what a matter's contacts and conversations make of it (PRODUCT.md "Contact",
 * "Matter", "First-contact resolution"). Pure: the consumer loads the rows and writes the result.
 */
import type { Channel } from '../../db/schema/conversations.js';

/**
 * A customer message that only acknowledges ("thanks!", "ok great", "got it 👍"): short, no question, and made
 * only of thanking and agreeing words. It is not a contact (PRODUCT.md "Contact").
 */
const ACK_WORDS = new Set(
  (
    'thanks thank thankyou thx ty you so very much many a lot lots again ok okay k kk great perfect ' +
    'got it cheers awesome cool nice good fine wonderful excellent brilliant super sounds noted will do ' +
    'appreciate appreciated that all the best regards kind much obliged yes sure alright all right ' +
    'received understood lovely fab fantastic amazing sir madam team guys everyone for your help support ' +
    'quick reply response answer and have day'
  ).split(' '),
);

export function isAcknowledgement(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed.includes('?')) return false;
  // Only the first lines: a quoted earlier message below the reply does not make it more than a thank-you.
  const words = (trimmed.split(/\n\s*\n|\n>/)[0] ?? '')
    .toLowerCase()
    .replace(/[\p{Extended_Pictographic}\p{P}\p{S}]/gu, ' ')
    .split(/\s+/)
    .filter(Boolean);
  if (words.length === 0) return true; // only emoji or punctuation: "👍", "!!"
  if (words.length > 12) return false;
  const thanking = words.some((w) => /^(thank|thx|ty$|cheers|appreciate|ok|okay|great|perfect|got)/.test(w));
  return thanking && words.every((w) => ACK_WORDS.has(w));
}

export type ContactFact = { at: Date; channel: Channel; conversationId: number; id: number };
export type ConversationFact = {
  conversationId: number;
  status: string;
  solvedAt: Date | null;
  closedAt: Date | null;
};

export type MatterSummary = {
  contactCount: number;
  channels: Channel[];
  firstContactAt: Date;
  lastContactAt: Date;
  firstConversationId: number;
  status: 'open' | 'solved';
  solvedAt: Date | null;
  firstSolvedAt: Date | null;
  contactsAtFirstSolve: number | null;
  firstRepeatAt: Date | null;
};

const done = (c: ConversationFact) => c.status === 'solved' || c.status === 'closed';

/**
 * A matter's figures from its contacts and conversations. It is solved when every one of its conversations is
 * solved or closed; the first time that happens (`firstSolvedAt`, kept from before, else now) fixes the
 * contacts it took and the first contact after it (first-contact resolution looks at the 7 days after).
 * Null when the matter has no contact left (it is deleted).
 */
export function summarize(
  contacts: ContactFact[],
  conversations: ConversationFact[],
  firstSolvedBefore: Date | null,
  now: Date,
): MatterSummary | null {
  if (contacts.length === 0) return null;
  const sorted = [...contacts].sort((a, b) => a.at.getTime() - b.at.getTime() || a.id - b.id);
  const first = sorted[0] as ContactFact;
  const last = sorted[sorted.length - 1] as ContactFact;
  const solved = conversations.length > 0 && conversations.every(done);
  let solvedAt: Date | null = null;
  if (solved)
    for (const c of conversations) {
      const at = c.solvedAt ?? c.closedAt;
      if (at && (!solvedAt || at > solvedAt)) solvedAt = at;
    }
  const firstSolvedAt = firstSolvedBefore ?? (solved ? (solvedAt ?? now) : null);
  const channels = [...new Set(sorted.map((c) => c.channel))];
  return {
    contactCount: sorted.length,
    channels,
    firstContactAt: first.at,
    lastContactAt: last.at,
    firstConversationId: first.conversationId,
    status: solved ? 'solved' : 'open',
    solvedAt,
    firstSolvedAt,
    contactsAtFirstSolve: firstSolvedAt ? sorted.filter((c) => c.at <= firstSolvedAt).length : null,
    firstRepeatAt: firstSolvedAt ? (sorted.find((c) => c.at > firstSolvedAt)?.at ?? null) : null,
  };
}

/** When the first of these contacts was made (`fallback` when there is none). */
export const earliest = (contacts: { at: Date }[], fallback: Date): Date =>
  new Date(Math.min(fallback.getTime(), ...contacts.map((c) => c.at.getTime())));

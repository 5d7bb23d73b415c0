import type { Executor } from '../../db/index.js';
import {
  findConversation,
  findConversationByThreadIndex,
  findMessagesByExternalIds,
} from '../conversations/index.js';
import type { ParsedEmail } from './parse.js';

/** `[#1234]` as Steward writes it into the subjects of its replies. */
const SUBJECT_TOKEN = /\[#(\d{1,15})\]/;

/** A conversation merged into another continues there (a chain of merges is followed a few steps). */
async function live(db: Executor, workspaceId: number, id: number | undefined): Promise<number | undefined> {
  let current = id;
  for (let hops = 0; current !== undefined && hops < 5; hops++) {
    const c = await findConversation(db, workspaceId, current);
    if (!c) return undefined;
    if (c.mergedIntoId === null) return c.id;
    current = c.mergedIntoId;
  }
  return current;
}

/**
 * The conversation a received mail continues, or undefined for a new one:
 * 1. In-Reply-To, then References (newest first): a mail of ours or the customer's we already have;
 *    this is also how a reply from someone the customer copied joins;
 * 2. the `[#id]` token of our subjects, when the sender is that conversation's customer (anyone can type a
 *    number into a subject; only the customer continues their own conversation this way);
 * 3. Outlook's Thread-Index (a reply without References) among the sender's conversations.
 * A mail with none of these, even from a known customer, is a new conversation.
 */
export async function findThread(
  db: Executor,
  workspaceId: number,
  mail: Pick<ParsedEmail, 'inReplyTo' | 'references' | 'subject' | 'threadIndex'>,
  /** Asked only when the headers leave it to the sender (a token, a Thread-Index): one query saved otherwise. */
  sender: () => Promise<number | undefined>,
): Promise<number | undefined> {
  const ids = [
    ...new Set([mail.inReplyTo, ...[...mail.references].reverse()].filter((x) => x !== undefined)),
  ];
  if (ids.length > 0) {
    const found = await findMessagesByExternalIds(db, workspaceId, 'email', ids);
    for (const id of ids) {
      const hit = found.find((m) => m.externalId === id);
      if (hit) return live(db, workspaceId, hit.conversationId);
    }
  }
  const token = SUBJECT_TOKEN.exec(mail.subject)?.[1];
  const senderCustomerId = token || mail.threadIndex?.isReply ? await sender() : undefined;
  if (token && senderCustomerId !== undefined) {
    const conversation = await findConversation(db, workspaceId, Number(token));
    if (conversation?.customerId === senderCustomerId) return live(db, workspaceId, conversation.id);
  }
  if (mail.threadIndex?.isReply && senderCustomerId !== undefined) {
    const id = await findConversationByThreadIndex(db, workspaceId, senderCustomerId, mail.threadIndex.root);
    return live(db, workspaceId, id);
  }
  return undefined;
}

/** A subject without the reply and forward prefixes clients add (Re:, AW:, SV:, Fwd:, WG:, [#id]). */
export function baseSubject(subject: string): string {
  let s = subject.replace(SUBJECT_TOKEN, ' ');
  for (;;) {
    const next = s.replace(/^\s*((re|aw|sv|vs|antw|fw|fwd|wg|tr|rif|r)\s*(\[\d+\])?\s*:\s*)/i, '');
    if (next === s) break;
    s = next;
  }
  return s.replace(/\s+/g, ' ').trim();
}

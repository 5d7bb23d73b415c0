import {
  type Actor,
  type Deps,
  fail,
  inTransaction,
  ok,
  type Result,
  recordEvent,
  scrubEventData,
} from '../../platform/index.js';
import { blobStoreOf, eraseConversationAttachments } from '../attachments/index.js';
import { eraseResolutionNotes } from '../authority/index.js';
import { eraseChatVisitors } from '../chat/index.js';
import { eraseCommitmentText } from '../commitments/index.js';
import { ERASED_TEXT, eraseCustomerContent } from '../conversations/index.js';
import { eraseCustomerRecords } from '../customers/index.js';
import { eraseEscalationText } from '../matters/index.js';
import { erasePortalData } from '../portal/index.js';
import { eraseSurveyComments } from '../surveys/index.js';

export const erasureReasons = ['subject_request', 'retention_policy', 'legal_obligation', 'other'] as const;
export type ErasureReason = (typeof erasureReasons)[number];

export type Erasure = {
  customerId: number;
  customers: number;
  identities: number;
  conversations: number;
  messages: number;
  attachments: number;
};

/**
 * GDPR erasure of one customer (and the records merged into it), in one transaction: personal data is
 * removed (name, company, notes, attributes, identities), what they wrote or what quotes them is blanked
 * (subjects, message text and HTML, attachment content and names), and personal values copied into event
 * data are scrubbed. Rows, ids, timestamps, statuses and counts stay, so metrics keep working. The erasure
 * is audited by a `customer.erased` event holding only a reason code and counts. Running it again is
 * harmless (it finds nothing more to remove).
 */
export async function eraseCustomer(
  deps: Deps,
  workspaceId: number,
  customerId: number,
  actor: Actor,
  reason: ErasureReason,
): Promise<Result<Erasure>> {
  const store = blobStoreOf(deps);
  let files: string[] = [];
  const result = await inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const records = await eraseCustomerRecords(tx, workspaceId, customerId, now);
    if (!records) return fail('CUSTOMER_NOT_FOUND', 'Customer not found');
    const content = await eraseCustomerContent(tx, workspaceId, records.customerIds);
    await eraseCommitmentText(tx, workspaceId, content.conversationIds, ERASED_TEXT);
    await eraseSurveyComments(tx, workspaceId, content.conversationIds);
    await eraseEscalationText(tx, workspaceId, content.conversationIds, ERASED_TEXT);
    await eraseResolutionNotes(tx, workspaceId, content.conversationIds);
    await erasePortalData(tx, workspaceId, records.customerIds);
    await eraseChatVisitors(tx, workspaceId, records.customerIds);
    const removed = await eraseConversationAttachments(tx, store, workspaceId, content.conversationIds);
    files = removed.files;
    await scrubEventData(tx, workspaceId, 'customer', records.customerIds, 'all');
    await scrubEventData(tx, workspaceId, 'conversation', content.conversationIds, [
      ['before', 'subject'],
      ['after', 'subject'],
      // Promises (commitment.* events) carry their words; notifications about the conversation its subject.
      ['text'],
      ['note'],
      ['before', 'text'],
      ['notifyTitle'],
      // Escalations (their reason) and grants (the decision's note).
      ['reason'],
      ['decisionNote'],
    ]);
    await scrubEventData(tx, workspaceId, 'attachment', removed.erasedIds, [['sha256']]);
    const erasure: Erasure = {
      customerId,
      customers: records.customerIds.length,
      identities: records.identities,
      conversations: content.conversationIds.length,
      messages: content.messages,
      attachments: removed.erasedIds.length,
    };
    // Recorded after the scrub, so it stays: a reason code and counts, nothing personal.
    await recordEvent(tx, {
      workspaceId,
      type: 'customer.erased',
      entityType: 'customer',
      entityId: customerId,
      actor,
      data: { reason, ...erasure },
      at: now,
    });
    return ok(erasure);
  });
  if (result.ok) await store.removeFiles(workspaceId, files);
  return result;
}

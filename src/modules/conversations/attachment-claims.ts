import type { Tx } from '../../db/index.js';
import type { AttachmentMeta } from '../../db/schema/conversations.js';
import { type Deps, ok, type Result } from '../../platform/index.js';
import { claimAttachments, linkAttachments } from '../attachments/index.js';
import type { StoredMessage } from './messages.repo.js';
import type { Caller } from './references.js';

/** The pending attachments a message names, checked and locked (none: no query). */
export async function claimFor(
  tx: Tx,
  deps: Deps,
  workspaceId: number,
  caller: Caller,
  input: { attachmentIds?: number[] },
): Promise<Result<AttachmentMeta[]>> {
  if (!input.attachmentIds?.length) return ok([]);
  // Only the uploader attaches a pending upload; the system does so for files received on a channel.
  const claimant = caller.actor.type === 'system' ? 'system' : { personId: caller.personId };
  return claimAttachments(tx, deps.settings, workspaceId, input.attachmentIds, claimant);
}

export async function linkFor(
  tx: Tx,
  message: StoredMessage,
  input: { attachmentIds?: number[] },
  now: Date,
): Promise<void> {
  if (!input.attachmentIds?.length) return;
  await linkAttachments(
    tx,
    message.workspaceId,
    input.attachmentIds,
    { conversationId: message.conversationId, messageId: message.id },
    now,
  );
}

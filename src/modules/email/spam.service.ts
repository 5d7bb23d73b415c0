import { type Deps, fail, ok, type Result } from '../../platform/index.js';
import { findMailbox } from './mailboxes.repo.js';
import { deleteSpam, findSpam } from './noise.repo.js';
import { parseEmail } from './parse.js';
import { type Received, receiveEmail } from './receive.service.js';

/** "Not spam": the kept mail is received like any other (threading, customer, attachments), then dropped. */
export async function releaseSpam(deps: Deps, workspaceId: number, id: number): Promise<Result<Received>> {
  const spam = await findSpam(deps.db, workspaceId, id);
  if (!spam) return fail('SPAM_NOT_FOUND', 'Spam mail not found');
  const mailbox = await findMailbox(deps.db, workspaceId, spam.mailboxId);
  if (!mailbox) return fail('MAILBOX_NOT_FOUND', 'The mailbox of this mail is gone');
  const received = await receiveEmail(deps, mailbox, await parseEmail(spam.raw), spam.raw, {
    skipSpamCheck: true,
  });
  if (!received.ok) return received;
  await deleteSpam(deps.db, workspaceId, [id]);
  return ok(received.value);
}

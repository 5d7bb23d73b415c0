import {
  type Deps,
  enqueueJob,
  fail,
  inTransaction,
  ok,
  type Result,
  recordEvent,
  sha256,
  systemActor,
} from '../../platform/index.js';
import { findWorkspaceBySlug } from '../workspaces/index.js';
import { ACCOUNT_MAIL_JOB, cannotSendMessage, canSendAccountMail, RESET_TTL_MS } from './account-mail.js';
import {
  countRecentResets,
  endPersonResets,
  findActivePeopleByEmail,
  insertPasswordReset,
  lockPasswordResetByHash,
} from './accounts.repo.js';
import { deletePersonSessions } from './auth.repo.js';
import { credentialCache } from './auth-cache.js';
import { hashPassword } from './passwords.js';
import { type Person, updatePerson } from './people.repo.js';

/** At most this many reset mails per account and hour; more requests are dropped without a word. */
export const RESETS_PER_HOUR = 3;

/** What a reset link is checked against: the password hash when it was asked for. */
export const passwordFingerprint = (person: Pick<Person, 'passwordHash'>) =>
  sha256(`steward-password:${person.passwordHash ?? ''}`);

/**
 * Asks for a reset link for every active account with this address (in the named workspace, or in all).
 * The caller answers the same whatever happens here, so nobody learns whether an account exists.
 */
export async function requestPasswordReset(
  deps: Deps,
  input: { email: string; workspace?: string },
): Promise<void> {
  const now = deps.clock.now();
  let workspaceId: number | undefined;
  if (input.workspace) {
    const workspace = await findWorkspaceBySlug(deps.db, input.workspace.toLowerCase());
    if (!workspace) return;
    workspaceId = workspace.id;
  }
  const people = await findActivePeopleByEmail(deps.db, input.email, workspaceId);
  if (people.length === 0) return;
  if (!canSendAccountMail(deps.settings)) {
    for (const person of people)
      deps.log.warn(
        { workspaceId: person.workspaceId, personId: person.id },
        `password reset asked for, but no mail was sent. ${cannotSendMessage}`,
      );
    return;
  }
  for (const person of people) {
    await deps.db.transaction(async (tx) => {
      const since = new Date(now.getTime() - RESET_TTL_MS);
      if ((await countRecentResets(tx, person, since)) >= RESETS_PER_HOUR) {
        deps.log.info(
          { workspaceId: person.workspaceId, personId: person.id },
          'password reset dropped: too many this hour',
        );
        return;
      }
      const reset = await insertPasswordReset(tx, {
        workspaceId: person.workspaceId,
        personId: person.id,
        passwordFingerprint: passwordFingerprint(person),
        createdAt: now,
        expiresAt: new Date(now.getTime() + RESET_TTL_MS),
      });
      await enqueueJob(
        tx,
        {
          workspaceId: person.workspaceId,
          type: ACCOUNT_MAIL_JOB,
          payload: { kind: 'password_reset', id: reset.id },
          runAt: now,
          maxAttempts: 5,
        },
        now,
      );
      await recordEvent(tx, {
        workspaceId: person.workspaceId,
        type: 'person.password_reset_requested',
        entityType: 'person',
        entityId: person.id,
        actor: systemActor,
        data: {},
        at: now,
      });
    });
  }
}

/**
 * Sets a new password with a reset link: the link must be unused, unexpired, and older than no password
 * change. Every session of the person ends, every other reset link too, and a sign-in lock is lifted (the
 * person proved they read the account's mail).
 */
export async function confirmPasswordReset(
  deps: Deps,
  input: { token: string; password: string },
): Promise<Result<{ workspaceId: number; personId: number }>> {
  const invalid = fail(
    'RESET_LINK_INVALID',
    'This link is unknown, used or expired: ask for a new one on the sign-in page',
  );
  const passwordHash = await hashPassword(input.password);
  const result = await inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const found = await lockPasswordResetByHash(tx, sha256(input.token));
    if (!found) return invalid;
    const { reset, person } = found;
    if (
      reset.usedAt ||
      reset.expiresAt <= now ||
      person.status !== 'active' ||
      reset.passwordFingerprint !== passwordFingerprint(person)
    )
      return invalid;
    await updatePerson(tx, person.workspaceId, person.id, {
      passwordHash,
      failedSignIns: 0,
      lockedUntil: null,
      updatedAt: now,
    });
    await endPersonResets(tx, person.workspaceId, person.id, now);
    await deletePersonSessions(tx, person.workspaceId, person.id);
    await recordEvent(tx, {
      workspaceId: person.workspaceId,
      type: 'person.password_reset',
      entityType: 'person',
      entityId: person.id,
      actor: { type: 'person', id: person.id },
      data: {},
      at: now,
    });
    return ok({ workspaceId: person.workspaceId, personId: person.id });
  });
  if (result.ok) credentialCache(deps.db).forgetPerson(result.value.workspaceId, result.value.personId);
  return result;
}

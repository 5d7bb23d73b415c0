import { type Deps, fail, ok, type Result, randomSecret, sha256 } from '../../platform/index.js';
import { findWorkspaceBySlug } from '../workspaces/index.js';
import {
  deleteOtherSessions,
  deletePersonSessions,
  deleteSession,
  hasLiveSession,
  insertSession,
} from './auth.repo.js';
import { credentialCache } from './auth-cache.js';
import { setAvailabilityInTx } from './availability.service.js';
import { hashPassword, verifyPassword } from './passwords.js';
import {
  clearFailedSignIns,
  findPerson,
  findPersonByEmail,
  type Person,
  recordFailedSignIn,
  updatePerson,
} from './people.repo.js';
import { recordUnknownFailure, unknownLockedUntil } from './unknown-sign-ins.js';

export const SESSION_TTL_MS = 14 * 24 * 3600_000;
/** After this many wrong passwords in a row the account is locked for LOCK_MS. */
export const LOCK_AFTER_FAILURES = 5;
export const LOCK_MS = 15 * 60_000;

export type SignedIn = { person: Person; cookie: string; csrfToken: string; expiresAt: Date };

/**
 * Signs a person in to a workspace named by its slug. Unknown workspace, unknown address, wrong password and
 * deactivated person all answer the same INVALID_CREDENTIALS, and all lock the same way after 5 failures,
 * so sign-in reveals nothing about who exists.
 */
export async function signIn(
  deps: Deps,
  input: { workspace: string; email: string; password: string },
): Promise<Result<SignedIn>> {
  const now = deps.clock.now();
  const invalid = fail('INVALID_CREDENTIALS', 'The workspace, e-mail address or password is wrong');
  const workspace = await findWorkspaceBySlug(deps.db, input.workspace.toLowerCase());
  const found = workspace ? await findPersonByEmail(deps.db, workspace.id, input.email) : undefined;
  const person = found?.status === 'active' ? found : undefined;
  // The hash is always computed, and unknown addresses lock like real ones: neither the answer nor its
  // timing tells whether an account exists.
  const good = await verifyPassword(person?.passwordHash ?? null, input.password);
  const lockedUntil =
    person?.lockedUntil && person.lockedUntil > now
      ? person.lockedUntil
      : person
        ? undefined
        : unknownLockedUntil(input.workspace, input.email, now);
  if (lockedUntil) {
    return fail('ACCOUNT_LOCKED', 'Too many wrong passwords: this account is locked for a few minutes', {
      lockedUntil: lockedUntil.toISOString(),
    });
  }
  if (!person) {
    recordUnknownFailure(input.workspace, input.email, now, LOCK_AFTER_FAILURES, LOCK_MS);
    return invalid;
  }
  if (!good) {
    const locked = await recordFailedSignIn(deps.db, person, now, LOCK_AFTER_FAILURES, LOCK_MS);
    if (locked)
      deps.log.warn(
        { personId: person.id, workspaceId: person.workspaceId },
        'account locked after failed sign-ins',
      );
    return invalid;
  }
  await clearFailedSignIns(deps.db, person);
  return ok(await startSession(deps, person));
}

/** A new browser session for a person who has just proved who they are (sign-in, setup, invitation). */
export async function startSession(deps: Deps, person: Person): Promise<SignedIn> {
  const now = deps.clock.now();
  const cookie = randomSecret();
  const csrfToken = randomSecret(24);
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await insertSession(deps.db, {
    workspaceId: person.workspaceId,
    tokenHash: sha256(cookie),
    personId: person.id,
    csrfToken,
    createdAt: now,
    expiresAt,
  });
  return { person, cookie, csrfToken, expiresAt };
}

/** Ends a session; signing out of one's last session also makes one `offline` (see availability.service.ts). */
export async function signOut(
  deps: Deps,
  workspaceId: number,
  personId: number,
  sessionId: number,
): Promise<void> {
  await deps.db.transaction(async (tx) => {
    await deleteSession(tx, workspaceId, sessionId);
    const now = deps.clock.now();
    if (!(await hasLiveSession(tx, workspaceId, personId, now)))
      await setAvailabilityInTx(tx, workspaceId, personId, 'offline', { type: 'person', id: personId }, now);
  });
  credentialCache(deps.db).forgetSession(workspaceId, sessionId);
}

/** Ends every session of a person but `keepSessionId` (signing out everywhere else). */
export async function signOutOtherSessions(
  deps: Deps,
  workspaceId: number,
  personId: number,
  keepSessionId: number | undefined,
): Promise<number> {
  const ended = await deleteOtherSessions(deps.db, workspaceId, personId, keepSessionId);
  credentialCache(deps.db).forgetPerson(workspaceId, personId);
  return ended;
}

/** Changing one's password ends every session of that person, this one included. */
export async function changePassword(
  deps: Deps,
  workspaceId: number,
  personId: number,
  input: { currentPassword: string; newPassword: string },
): Promise<Result<null>> {
  const person = await findPerson(deps.db, workspaceId, personId);
  if (!person) return fail('PERSON_NOT_FOUND', 'Person not found');
  if (!(await verifyPassword(person.passwordHash, input.currentPassword))) {
    return fail('INVALID_CREDENTIALS', 'The current password is wrong');
  }
  const passwordHash = await hashPassword(input.newPassword);
  await deps.db.transaction(async (tx) => {
    await updatePerson(tx, workspaceId, personId, { passwordHash, updatedAt: deps.clock.now() });
    await deletePersonSessions(tx, workspaceId, personId);
  });
  credentialCache(deps.db).forgetPerson(workspaceId, personId);
  return ok(null);
}

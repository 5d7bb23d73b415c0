import {
  type Actor,
  type Deps,
  fail,
  inTransaction,
  ok,
  type Result,
  recordEvent,
} from '../../platform/index.js';
import { deletePersonSessions } from './auth.repo.js';
import { credentialCache } from './auth-cache.js';
import { setAvailabilityInTx } from './availability.service.js';
import { generatePassword, hashPassword } from './passwords.js';
import { findPerson, insertPerson, lockActiveOwners, type Person, updatePerson } from './people.repo.js';
import type { Role } from './permissions.js';

export type NewPerson = { email: string; name: string; role: Role; password?: string; isOwner?: boolean };

/** Creates a colleague. Without a password one is generated and returned once, for the admin to pass on. */
/** The system (first start, instance commands) or an active owner. */
const actedByOwner = (actor: Actor, owners: number[]) => actor.type !== 'person' || owners.includes(actor.id);

export async function createPerson(
  deps: Deps,
  workspaceId: number,
  actor: Actor,
  input: NewPerson,
): Promise<Result<{ person: Person; generatedPassword?: string }>> {
  const generatedPassword = input.password ? undefined : generatePassword();
  const passwordHash = await hashPassword(input.password ?? generatedPassword!);
  return inTransaction(deps.db, async (tx) => {
    if (input.isOwner && !actedByOwner(actor, await lockActiveOwners(tx, workspaceId))) {
      return fail('FORBIDDEN', 'Only an owner can make someone an owner');
    }
    const now = deps.clock.now();
    const person = await insertPerson(tx, { workspaceId, ...input, passwordHash, now });
    if (!person) return fail('EMAIL_TAKEN', `Someone in this workspace already uses ${input.email}`);
    await recordEvent(tx, {
      workspaceId,
      type: 'person.created',
      entityType: 'person',
      entityId: person.id,
      actor,
      data: { after: { email: person.email, name: person.name, role: person.role, isOwner: person.isOwner } },
      at: now,
    });
    return ok({ person, generatedPassword });
  });
}

export type PersonPatch = { name?: string; role?: Role; isOwner?: boolean; status?: Person['status'] };

/**
 * Updates a person. The last active owner can never be demoted, un-owned or deactivated: the owners are
 * locked in the transaction, so two concurrent changes cannot remove the last two owners together.
 * Deactivating keeps the person's history and ends their sessions.
 */
export async function updatePersonProfile(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
  patch: PersonPatch,
): Promise<Result<Person>> {
  const result = await inTransaction(deps.db, async (tx) => {
    const owners = await lockActiveOwners(tx, workspaceId);
    const before = await findPerson(tx, workspaceId, id);
    if (!before) return fail('PERSON_NOT_FOUND', 'Person not found');
    if (before.status === 'invited' && (patch.status !== undefined || patch.isOwner)) {
      return fail(
        'PERSON_INVITED',
        'This person has not accepted the invitation yet: resend or revoke the invitation instead',
      );
    }
    const losesOwnership =
      before.isOwner &&
      before.status === 'active' &&
      ((patch.role !== undefined && patch.role !== 'admin') ||
        patch.isOwner === false ||
        patch.status === 'deactivated');
    if (losesOwnership && owners.length <= 1) {
      return fail('LAST_OWNER', 'This is the last owner of the workspace: make someone else an owner first');
    }
    const changesOwnership =
      (patch.isOwner !== undefined && patch.isOwner !== before.isOwner) || losesOwnership;
    if (changesOwnership && !actedByOwner(actor, owners)) {
      return fail('FORBIDDEN', 'Only an owner can make or unmake owners, or change an owner');
    }
    const role = patch.role ?? before.role;
    if ((patch.isOwner ?? before.isOwner) && role !== 'admin') {
      return fail('VALIDATION_FAILED', 'An owner must have the admin role');
    }
    const now = deps.clock.now();
    const deactivating = patch.status === 'deactivated' && before.status !== 'deactivated';
    // A deactivated person takes no more work: routing must not pick them.
    if (deactivating) await setAvailabilityInTx(tx, workspaceId, id, 'offline', actor, now);
    const after = await updatePerson(tx, workspaceId, id, {
      ...patch,
      deactivatedAt:
        patch.status === undefined
          ? before.deactivatedAt
          : deactivating
            ? now
            : patch.status === 'active'
              ? null
              : before.deactivatedAt,
      updatedAt: now,
    });
    if (!after) return fail('PERSON_NOT_FOUND', 'Person not found');
    if (deactivating) await deletePersonSessions(tx, workspaceId, id);
    const pick = (p: Person) => ({ name: p.name, role: p.role, isOwner: p.isOwner, status: p.status });
    await recordEvent(tx, {
      workspaceId,
      type: deactivating ? 'person.deactivated' : 'person.updated',
      entityType: 'person',
      entityId: id,
      actor,
      data: { before: pick(before), after: pick(after) },
      at: now,
    });
    return ok(after);
  });
  // Role, owner and status decide what this person's tokens and sessions may do, if anything.
  if (result.ok) credentialCache(deps.db).forgetPerson(workspaceId, id);
  return result;
}

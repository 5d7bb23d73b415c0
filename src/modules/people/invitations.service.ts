import type { Tx } from '../../db/index.js';
import {
  type Actor,
  type Deps,
  deleteUnlessReferenced,
  enqueueJob,
  fail,
  inTransaction,
  ok,
  type Result,
  recordEvent,
  sha256,
} from '../../platform/index.js';
import {
  ACCOUNT_MAIL_JOB,
  canSendAccountMail,
  INVITATION_TTL_MS,
  invitationLink,
  mintLinkSecret,
} from './account-mail.js';
import {
  deleteInvitedPerson,
  findInvitationByHash,
  type Invitation,
  insertInvitation,
  lockPendingInvitation,
  type PendingInvitation,
  updateInvitation,
} from './accounts.repo.js';
import { hashPassword } from './passwords.js';
import { insertPerson, type Person, updatePerson } from './people.repo.js';
import type { Role } from './permissions.js';
import { addMember, findTeam } from './teams.repo.js';

/**
 * How the invited person gets the link: `email` (a mail is on its way), or `link` when Steward cannot send
 * e-mail, in which case the link is handed to the admin, once, to pass on.
 */
export type Delivery = { delivery: 'email' } | { delivery: 'link'; link: string };

/** Queues the mail, or mints the link for the admin when there is no mail to send it with. */
async function deliver(deps: Deps, tx: Tx, invitation: Invitation, now: Date): Promise<Delivery> {
  if (canSendAccountMail(deps.settings)) {
    // The old link dies now; the mail job mints the new one.
    await updateInvitation(tx, invitation, { tokenHash: null });
    await enqueueJob(
      tx,
      {
        workspaceId: invitation.workspaceId,
        type: ACCOUNT_MAIL_JOB,
        payload: { kind: 'invitation', id: invitation.id },
        runAt: now,
        maxAttempts: 5,
      },
      now,
    );
    return { delivery: 'email' };
  }
  const { secret, hash } = mintLinkSecret();
  await updateInvitation(tx, invitation, { tokenHash: hash });
  deps.log.warn(
    { workspaceId: invitation.workspaceId, invitationId: invitation.id },
    'invitation not mailed (no mail server): the link was handed to the admin',
  );
  return { delivery: 'link', link: invitationLink(deps.settings.publicUrl, secret) };
}

export type NewInvitation = { email: string; name: string; role: Role; teamIds: number[] };

export async function inviteColleague(
  deps: Deps,
  workspaceId: number,
  inviter: { personId: number },
  input: NewInvitation,
): Promise<Result<PendingInvitation & Delivery>> {
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    for (const teamId of input.teamIds) {
      if (!(await findTeam(tx, workspaceId, teamId)))
        return fail('TEAM_NOT_FOUND', `Team ${teamId} not found`);
    }
    const person = await insertPerson(tx, {
      workspaceId,
      email: input.email,
      name: input.name,
      role: input.role,
      passwordHash: null,
      status: 'invited',
      now,
    });
    if (!person) return fail('EMAIL_TAKEN', `Someone in this workspace already uses ${input.email}`);
    for (const teamId of new Set(input.teamIds)) await addMember(tx, workspaceId, teamId, person.id, now);
    const invitation = await insertInvitation(tx, {
      workspaceId,
      personId: person.id,
      invitedById: inviter.personId,
      createdAt: now,
      sentAt: now,
      expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
    });
    await recordEvent(tx, {
      workspaceId,
      type: 'person.invited',
      entityType: 'person',
      entityId: person.id,
      actor: { type: 'person', id: inviter.personId },
      data: { after: { email: person.email, name: person.name, role: person.role, teamIds: input.teamIds } },
      at: now,
    });
    const delivery = await deliver(deps, tx, invitation, now);
    return ok({ invitation, person, ...delivery });
  });
}

/** A new link (the old one stops working) and 7 more days. */
export async function resendInvitation(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
): Promise<Result<PendingInvitation & Delivery>> {
  return inTransaction(deps.db, async (tx) => {
    const found = await lockPendingInvitation(tx, workspaceId, id);
    if (!found) return fail('INVITATION_NOT_FOUND', 'Invitation not found');
    const now = deps.clock.now();
    const patch = { sentAt: now, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS) };
    await updateInvitation(tx, found.invitation, patch);
    const invitation = { ...found.invitation, ...patch };
    await recordEvent(tx, {
      workspaceId,
      type: 'invitation.resent',
      entityType: 'person',
      entityId: found.person.id,
      actor,
      data: {},
      at: now,
    });
    const delivery = await deliver(deps, tx, invitation, now);
    return ok({ invitation, person: found.person, ...delivery });
  });
}

/** Takes an invitation back: the invited person (never active, so nothing of theirs) is removed. */
export async function revokeInvitation(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
): Promise<Result<null>> {
  return inTransaction(deps.db, async (tx) => {
    const found = await lockPendingInvitation(tx, workspaceId, id);
    if (!found) return fail('INVITATION_NOT_FOUND', 'Invitation not found');
    const removed = await deleteUnlessReferenced(
      () => deleteInvitedPerson(tx, workspaceId, found.person.id),
      fail('PERSON_IN_USE', 'This invited person leads a team: choose another lead first'),
    );
    if (!removed.ok) return removed;
    await recordEvent(tx, {
      workspaceId,
      type: 'invitation.revoked',
      entityType: 'person',
      entityId: found.person.id,
      actor,
      data: { before: { email: found.person.email, name: found.person.name, role: found.person.role } },
      at: deps.clock.now(),
    });
    return ok(null);
  });
}

const invalidLink = () =>
  fail('INVITATION_LINK_INVALID', 'This invitation link is unknown, used or expired: ask for a new one');

function usable(found: PendingInvitation | undefined, now: Date): found is PendingInvitation {
  return Boolean(
    found &&
      !found.invitation.acceptedAt &&
      found.invitation.expiresAt > now &&
      found.person.status === 'invited',
  );
}

/** What the accept page shows before the person chooses a password. */
export async function lookUpInvitation(deps: Deps, token: string): Promise<Result<PendingInvitation>> {
  const found = await findInvitationByHash(deps.db, sha256(token));
  return usable(found, deps.clock.now()) ? ok(found) : invalidLink();
}

/** Accepts: the person becomes active with their name and password; the link is used up. */
export async function acceptInvitation(
  deps: Deps,
  input: { token: string; name: string; password: string },
): Promise<Result<Person>> {
  const passwordHash = await hashPassword(input.password);
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const found = await findInvitationByHash(tx, sha256(input.token), true);
    if (!usable(found, now)) return invalidLink();
    const person = await updatePerson(tx, found.person.workspaceId, found.person.id, {
      name: input.name,
      passwordHash,
      status: 'active',
      updatedAt: now,
    });
    if (!person) return invalidLink();
    await updateInvitation(tx, found.invitation, { acceptedAt: now, tokenHash: null });
    await recordEvent(tx, {
      workspaceId: person.workspaceId,
      type: 'person.invitation_accepted',
      entityType: 'person',
      entityId: person.id,
      actor: { type: 'person', id: person.id },
      data: { after: { name: person.name } },
      at: now,
    });
    return ok(person);
  });
}

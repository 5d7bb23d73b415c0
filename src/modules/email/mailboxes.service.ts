import type { Tx } from '../../db/index.js';
import {
  type Actor,
  type Deps,
  fail,
  inTransaction,
  ok,
  pgErrorCode,
  type Result,
  randomSecret,
  recordEvent,
  sha256,
  UNIQUE_VIOLATION,
} from '../../platform/index.js';
import { findTeam } from '../people/index.js';
import { findWorkspaceById } from '../workspaces/index.js';
import {
  clearDefault,
  deleteMailbox,
  findMailbox,
  insertMailbox,
  type Mailbox,
  updateMailbox,
} from './mailboxes.repo.js';

export type MailboxFields = {
  address: string;
  /** The sender name of replies; on creation, absent means the workspace's name. */
  name?: string;
  teamId?: number | null;
  isDefault?: boolean;
  acknowledge?: boolean;
  signature?: string;
  promiseFooter?: boolean;
};

const taken = (address: string) =>
  fail('MAILBOX_ADDRESS_TAKEN', `The address ${address} is already a mailbox (here or in another workspace)`);

async function checkTeam(tx: Tx, workspaceId: number, teamId: number | null | undefined) {
  if (teamId && !(await findTeam(tx, workspaceId, teamId)))
    return fail('TEAM_NOT_FOUND', 'The team is not a team of this workspace', { teamId });
  return ok(null);
}

const event = (
  workspaceId: number,
  id: number,
  actor: Actor,
  type: string,
  data: Record<string, unknown>,
  at: Date,
) => ({
  workspaceId,
  type,
  entityType: 'mailbox',
  entityId: id,
  actor,
  data,
  at,
});

/** A new mailbox, with the secret of its HTTP intake: shown now, stored only as a hash. */
export async function createMailbox(
  deps: Deps,
  workspaceId: number,
  actor: Actor,
  fields: MailboxFields,
): Promise<Result<{ mailbox: Mailbox; inboundSecret: string }>> {
  const secret = `mbx_${randomSecret(24)}`;
  const address = fields.address.toLowerCase();
  return inTransaction(deps.db, async (tx) => {
    const team = await checkTeam(tx, workspaceId, fields.teamId);
    if (!team.ok) return team;
    const now = deps.clock.now();
    if (fields.isDefault) await clearDefault(tx, workspaceId);
    const name = fields.name || (await findWorkspaceById(tx, workspaceId))?.name || address;
    const mailbox = await insertMailbox(tx, {
      workspaceId,
      address,
      name,
      teamId: fields.teamId ?? null,
      isDefault: fields.isDefault ?? false,
      acknowledge: fields.acknowledge ?? false,
      signature: fields.signature ?? '',
      promiseFooter: fields.promiseFooter ?? false,
      inboundSecretHash: sha256(secret),
      createdAt: now,
      updatedAt: now,
    });
    if (!mailbox) return taken(address);
    await recordEvent(tx, event(workspaceId, mailbox.id, actor, 'mailbox.created', { address }, now));
    return ok({ mailbox, inboundSecret: secret });
  });
}

export async function changeMailbox(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
  fields: Partial<MailboxFields>,
): Promise<Result<Mailbox>> {
  return inTransaction(deps.db, async (tx) => {
    const team = await checkTeam(tx, workspaceId, fields.teamId);
    if (!team.ok) return team;
    const now = deps.clock.now();
    if (fields.isDefault) await clearDefault(tx, workspaceId);
    let after: Mailbox | undefined;
    try {
      after = await updateMailbox(tx, workspaceId, id, {
        ...fields,
        ...(fields.address ? { address: fields.address.toLowerCase() } : {}),
        updatedAt: now,
      });
    } catch (err) {
      if (pgErrorCode(err) === UNIQUE_VIOLATION) return taken(fields.address ?? '');
      throw err;
    }
    if (!after) return fail('MAILBOX_NOT_FOUND', 'Mailbox not found');
    await recordEvent(
      tx,
      event(workspaceId, id, actor, 'mailbox.changed', { fields: Object.keys(fields) }, now),
    );
    return ok(after);
  });
}

export async function rotateMailboxSecret(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
): Promise<Result<{ mailbox: Mailbox; inboundSecret: string }>> {
  const secret = `mbx_${randomSecret(24)}`;
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const mailbox = await updateMailbox(tx, workspaceId, id, {
      inboundSecretHash: sha256(secret),
      updatedAt: now,
    });
    if (!mailbox) return fail('MAILBOX_NOT_FOUND', 'Mailbox not found');
    await recordEvent(tx, event(workspaceId, id, actor, 'mailbox.secret_rotated', {}, now));
    return ok({ mailbox, inboundSecret: secret });
  });
}

export async function removeMailbox(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
): Promise<Result<null>> {
  return inTransaction(deps.db, async (tx) => {
    const before = await findMailbox(tx, workspaceId, id);
    if (!before || !(await deleteMailbox(tx, workspaceId, id)))
      return fail('MAILBOX_NOT_FOUND', 'Mailbox not found');
    const now = deps.clock.now();
    await recordEvent(tx, event(workspaceId, id, actor, 'mailbox.removed', { address: before.address }, now));
    return ok(null);
  });
}

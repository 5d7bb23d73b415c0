import {
  type Deps,
  fail,
  inTransaction,
  ok,
  type Result,
  recordEvent,
  sha256,
  systemActor,
} from '../../platform/index.js';
import {
  countWorkspaces,
  findOldestWorkspace,
  findWorkspaceBySlug,
  insertWorkspace,
  type Workspace,
} from '../workspaces/index.js';
import { findTokenByHash } from './auth.repo.js';
import { generatePassword, hashPassword } from './passwords.js';
import { findPersonByEmail, insertPerson, listPeople, type Person } from './people.repo.js';
import { createToken } from './tokens.service.js';

export type NewWorkspace = {
  slug: string;
  name: string;
  adminEmail: string;
  adminName?: string;
  adminPassword?: string;
};
export type CreatedWorkspace = { workspace: Workspace; owner: Person; generatedPassword?: string };

/** A workspace and its first account: an admin marked as owner. */
export async function createWorkspaceWithOwner(
  deps: Deps,
  input: NewWorkspace,
): Promise<Result<CreatedWorkspace>> {
  const generatedPassword = input.adminPassword ? undefined : generatePassword();
  const passwordHash = await hashPassword(input.adminPassword ?? generatedPassword!);
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const workspace = await insertWorkspace(tx, { slug: input.slug, name: input.name, createdAt: now });
    if (!workspace)
      return fail('VALIDATION_FAILED', `A workspace with the slug ${input.slug} exists already`);
    const owner = await insertPerson(tx, {
      workspaceId: workspace.id,
      email: input.adminEmail,
      name: input.adminName ?? 'Owner',
      role: 'admin',
      isOwner: true,
      passwordHash,
      now,
    });
    if (!owner) throw new Error('owner insert returned nothing');
    await recordEvent(tx, {
      workspaceId: workspace.id,
      type: 'workspace.created',
      entityType: 'workspace',
      entityId: workspace.id,
      actor: systemActor,
      data: { after: { slug: workspace.slug, name: workspace.name, ownerEmail: owner.email } },
      at: now,
    });
    return ok({ workspace, owner, generatedPassword });
  });
}

export type FirstStart = {
  /** Set only on the start that created the workspace: how to sign in, printed once. */
  created?: CreatedWorkspace;
  workspace: Workspace;
  bootstrapTokenCreated: boolean;
};

/**
 * Run at every start, idempotent: creates the first workspace and its owner when there is none, and the
 * bootstrap API token when STEWARD_BOOTSTRAP_TOKEN is set and not yet stored. Two processes racing here on
 * PostgreSQL are safe: the workspace slug is unique and the loser finds the winner's workspace.
 */
export async function ensureFirstWorkspace(
  deps: Deps,
  options: {
    slug: string;
    name: string;
    adminEmail?: string;
    adminPassword?: string;
    bootstrapToken?: string;
  },
): Promise<FirstStart> {
  let created: CreatedWorkspace | undefined;
  if ((await countWorkspaces(deps.db)) === 0) {
    const result = await createWorkspaceWithOwner(deps, {
      slug: options.slug,
      name: options.name,
      adminEmail: options.adminEmail ?? 'admin@example.com',
      adminPassword: options.adminPassword,
    });
    if (result.ok) created = result.value;
  }
  // Workspaces made with the instance command before the first start are fine: fall back to the oldest.
  const workspace =
    created?.workspace ??
    (await findWorkspaceBySlug(deps.db, options.slug)) ??
    (await findOldestWorkspace(deps.db));
  if (!workspace) throw new Error('The instance has no workspace and none could be created');
  let bootstrapTokenCreated = false;
  if (options.bootstrapToken && !(await findTokenByHash(deps.db, sha256(options.bootstrapToken)))) {
    const owner =
      created?.owner ??
      (options.adminEmail ? await findPersonByEmail(deps.db, workspace.id, options.adminEmail) : undefined);
    const ownerId = owner?.id ?? (await firstOwnerId(deps, workspace.id));
    const result = await createToken(deps, workspace.id, ownerId, systemActor, {
      name: 'Bootstrap token (STEWARD_BOOTSTRAP_TOKEN)',
      scopes: ['all:write'],
      value: options.bootstrapToken,
    });
    bootstrapTokenCreated = result.ok;
  }
  return { created, workspace, bootstrapTokenCreated };
}

async function firstOwnerId(deps: Deps, workspaceId: number): Promise<number> {
  const admins = await listPeople(deps.db, workspaceId, { role: 'admin', status: 'active', limit: 100 });
  const owner = admins.find((p) => p.isOwner) ?? admins[0];
  if (!owner) throw new Error('The workspace has no active admin to own the bootstrap token');
  return owner.id;
}

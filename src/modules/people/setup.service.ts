import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/index.js';
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
    const created = await insertWorkspaceWithOwner(deps, tx, input, passwordHash);
    return created.ok ? ok({ ...created.value, generatedPassword }) : created;
  });
}

async function insertWorkspaceWithOwner(
  deps: Deps,
  tx: Tx,
  input: NewWorkspace,
  passwordHash: string,
): Promise<Result<CreatedWorkspace>> {
  const now = deps.clock.now();
  const workspace = await insertWorkspace(tx, { slug: input.slug, name: input.name, createdAt: now });
  if (!workspace) return fail('VALIDATION_FAILED', `A workspace with the slug ${input.slug} exists already`);
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
  return ok({ workspace, owner });
}

/**
 * First start and browser setup take this lock and then look whether a workspace exists: two setups at once
 * (two tabs, two processes) make one workspace, and the other is told it is done.
 */
async function lockSetup(tx: Tx): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(7310001)`);
}

/** Whether this Steward still waits for its first workspace (the setup page). */
export async function setupNeeded(deps: Deps): Promise<boolean> {
  return (await countWorkspaces(deps.db)) === 0;
}

/** The slug of the only workspace (the sign-in page fills it in); undefined with none or several. */
export async function onlyWorkspaceSlug(deps: Deps): Promise<string | undefined> {
  if ((await countWorkspaces(deps.db)) !== 1) return undefined;
  return (await findOldestWorkspace(deps.db))?.slug;
}

/** A slug people can type, from a workspace's name: `Acme Support GmbH` → `acme-support-gmbh`. */
export function slugFromName(name: string): string {
  const slug = name
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug.length >= 2 ? slug : 'default';
}

/**
 * The browser's first-start setup: the workspace and its owner, with the password the owner chose. Works
 * only while the instance has no workspace at all; afterwards it answers SETUP_DONE.
 */
export async function setUpFirstWorkspace(
  deps: Deps,
  input: { workspaceName: string; slug?: string; name: string; email: string; password: string },
): Promise<Result<CreatedWorkspace>> {
  if (!(await setupNeeded(deps))) return fail('SETUP_DONE', 'This Steward is set up already: sign in');
  const passwordHash = await hashPassword(input.password);
  return inTransaction(deps.db, async (tx) => {
    await lockSetup(tx);
    if ((await countWorkspaces(tx)) > 0) return fail('SETUP_DONE', 'This Steward is set up already: sign in');
    return insertWorkspaceWithOwner(
      deps,
      tx,
      {
        slug: input.slug ?? slugFromName(input.workspaceName),
        name: input.workspaceName,
        adminEmail: input.email,
        adminName: input.name,
      },
      passwordHash,
    );
  });
}

export type FirstStart = {
  /** Set only on the start that created the workspace: how to sign in, printed once. */
  created?: CreatedWorkspace;
  /** None yet when the instance waits for the browser setup. */
  workspace: Workspace | undefined;
  bootstrapTokenCreated: boolean;
};

/**
 * Run at every start, idempotent. On an instance without a workspace it creates the first one and its owner
 * when it is told how: STEWARD_ADMIN_EMAIL/PASSWORD, or STEWARD_BOOTSTRAP_TOKEN (whose owner gets a generated
 * password, printed once), or `generateOwner` (the demo). Otherwise the workspace waits for the browser's
 * setup page. It also stores the bootstrap API token when set and not yet stored. Two processes racing here
 * are safe: both take the setup lock, and the second finds the first one's workspace.
 */
export async function ensureFirstWorkspace(
  deps: Deps,
  options: {
    slug: string;
    name: string;
    adminEmail?: string;
    adminPassword?: string;
    bootstrapToken?: string;
    generateOwner?: boolean;
  },
): Promise<FirstStart> {
  let created: CreatedWorkspace | undefined;
  const told = Boolean(options.adminEmail || options.bootstrapToken || options.generateOwner);
  if (told && (await countWorkspaces(deps.db)) === 0) {
    const generatedPassword = options.adminPassword ? undefined : generatePassword();
    const passwordHash = await hashPassword(options.adminPassword ?? generatedPassword!);
    const result = await inTransaction(deps.db, async (tx) => {
      await lockSetup(tx);
      if ((await countWorkspaces(tx)) > 0) return fail('SETUP_DONE', 'set up by another process');
      return insertWorkspaceWithOwner(
        deps,
        tx,
        { slug: options.slug, name: options.name, adminEmail: options.adminEmail ?? 'admin@example.com' },
        passwordHash,
      );
    });
    if (result.ok) created = { ...result.value, generatedPassword };
  }
  // Workspaces made with the instance command before the first start are fine: fall back to the oldest.
  const workspace =
    created?.workspace ??
    (await findWorkspaceBySlug(deps.db, options.slug)) ??
    (await findOldestWorkspace(deps.db));
  let bootstrapTokenCreated = false;
  if (
    workspace &&
    options.bootstrapToken &&
    !(await findTokenByHash(deps.db, sha256(options.bootstrapToken)))
  ) {
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

import type { Executor } from '../../db/index.js';
import { type Actor, fail, ok, type Result } from '../../platform/index.js';
import { findWorkspaceById } from '../workspaces/index.js';
import {
  type Customer,
  deleteNewCustomer,
  findCustomerForIntakeIncludingMerged,
  findOrInsertCustomerByIdentity,
} from './customers.repo.js';
import { defaultNameFor, type IdentityKind, normalizeIdentity } from './identities.js';

/** The workspace's default country, for phone numbers typed without a country code. */
export async function workspaceCountry(db: Executor, workspaceId: number): Promise<string | undefined> {
  return (await findWorkspaceById(db, workspaceId))?.settings.defaultCountry;
}

/**
 * The live customer a merged one was merged into, following merges (rare: a merge moves identities, so this
 * happens only when intake ran into a merge committing). Each hop is key-share locked like the first.
 */
async function liveOwner(db: Executor, workspaceId: number, customerId: number) {
  let customer = await findCustomerForIntakeIncludingMerged(db, workspaceId, customerId);
  for (let hops = 0; customer?.mergedIntoId && hops < 10; hops++) {
    customer = await findCustomerForIntakeIncludingMerged(db, workspaceId, customer.mergedIntoId);
  }
  return customer && !customer.mergedIntoId ? customer : undefined;
}

/**
 * The customer behind an identity, created when new (intake: a first e-mail, chat or call), in one statement
 * (findOrInsertCustomerByIdentity). Call it inside the caller's transaction. Safe when two intakes of the same
 * new identity race on PostgreSQL: the identity row is inserted with ON CONFLICT DO NOTHING, which waits for
 * the other transaction; the loser deletes the customer it had just created (nobody else can have seen it)
 * and tries again, finding the winner's. Safe against a merge of the found customer committing meanwhile: the
 * customer stays key-share locked until the caller commits, and a merged one is followed to the survivor.
 */
export async function findOrCreateCustomerByIdentity(
  tx: Executor,
  workspaceId: number,
  identity: { kind: IdentityKind; value: string },
  profile: { name?: string; locale?: string },
  now: Date,
  actor: Actor,
): Promise<Result<{ customer: Customer; created: boolean }>> {
  // Only a phone number needs the workspace's default country (a number typed without a country code).
  const country = identity.kind === 'phone' ? await workspaceCountry(tx, workspaceId) : undefined;
  const normalized = normalizeIdentity(identity.kind, identity.value, country);
  if (!normalized.ok) return normalized;
  const { kind } = identity;
  const value = normalized.value;

  const name = profile.name?.trim().slice(0, 200) || defaultNameFor(kind, value);
  for (let attempt = 0; attempt < 3; attempt++) {
    const intake = await findOrInsertCustomerByIdentity(
      tx,
      workspaceId,
      { kind, value },
      { name, locale: profile.locale ?? null },
      actor,
      now,
    );
    if ('found' in intake) {
      const found = intake.found;
      const customer = found.mergedIntoId ? await liveOwner(tx, workspaceId, found.mergedIntoId) : found;
      if (customer) return ok({ customer, created: false });
      return fail('CUSTOMER_NOT_FOUND', 'The customer of this identity no longer exists', { kind, value });
    }
    if (intake.identityId === null) {
      // Lost the race: another transaction committed this identity after our snapshot.
      await deleteNewCustomer(tx, workspaceId, intake.created.id);
      continue;
    }
    return ok({ customer: intake.created, created: true });
  }
  return fail('IDENTITY_TAKEN', 'This identity is being created concurrently; try again', { kind, value });
}

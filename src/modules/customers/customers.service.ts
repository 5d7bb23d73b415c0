import type { Executor } from '../../db/index.js';
import {
  type Actor,
  type Deps,
  type Failure,
  fail,
  inTransaction,
  type NewEvent,
  ok,
  type Result,
  recordEvent,
} from '../../platform/index.js';
import { customerCreatedData, customerSnapshot } from './customer-events.js';
import {
  type Customer,
  type CustomerFields,
  type CustomerIdentity,
  findCustomer,
  findCustomerIncludingMerged,
  insertCustomer,
  lockCustomer,
  touchCustomer,
  updateCustomerRow,
} from './customers.repo.js';
import {
  attributesSize,
  type CreateCustomerInput,
  MAX_ATTRIBUTE_KEYS,
  MAX_ATTRIBUTES_BYTES,
  type UpdateCustomerInput,
} from './customers.schemas.js';
import { workspaceCountry } from './find-or-create.js';
import { defaultNameFor, type IdentityKind, normalizeIdentity } from './identities.js';
import { deleteIdentity, findIdentityByValue, insertIdentity, listIdentities } from './identities.repo.js';

export type CustomerView = { customer: Customer; identities: CustomerIdentity[] };

/**
 * Not found, or merged away. A merged customer answers 404 like a missing one (lists, search and updates
 * never see it), but `details.mergedIntoId` tells the client where the surviving record is, so an old link
 * can redirect instead of dead-ending. No magic: a GET never silently returns a different customer.
 */
export async function customerNotFound(db: Executor, workspaceId: number, id: number): Promise<Failure> {
  const row = await findCustomerIncludingMerged(db, workspaceId, id);
  return row?.mergedIntoId
    ? fail('CUSTOMER_NOT_FOUND', `Customer ${id} was merged into customer ${row.mergedIntoId}`, {
        mergedIntoId: row.mergedIntoId,
      })
    : fail('CUSTOMER_NOT_FOUND', 'Customer not found');
}

export async function readCustomer(
  db: Executor,
  workspaceId: number,
  id: number,
): Promise<Result<CustomerView>> {
  const customer = await findCustomer(db, workspaceId, id);
  if (!customer) return customerNotFound(db, workspaceId, id);
  return ok({ customer, identities: await listIdentities(db, workspaceId, [id]) });
}

const taken = (kind: IdentityKind, value: string, customerId: number): Failure =>
  fail('IDENTITY_TAKEN', `This ${kind} already belongs to customer ${customerId}`, {
    kind,
    value,
    customerId,
  });

/** Normalises and attaches one identity; a failure (invalid or taken) must roll the transaction back. */
async function attachIdentity(
  tx: Executor,
  workspaceId: number,
  customerId: number,
  raw: { kind: IdentityKind; value: string },
  country: string | undefined,
  now: Date,
): Promise<Result<CustomerIdentity>> {
  const n = normalizeIdentity(raw.kind, raw.value, country);
  if (!n.ok) return n;
  const added = await insertIdentity(tx, { workspaceId, customerId, kind: raw.kind, value: n.value, now });
  if (added) return ok(added);
  const owner = await findIdentityByValue(tx, workspaceId, raw.kind, n.value);
  return taken(raw.kind, n.value, owner?.customerId ?? 0);
}

/**
 * Gives a customer one more identity inside the caller's transaction (intake that names both an e-mail and a
 * phone). Already theirs: nothing to do. Another customer's: left where it is — deciding that two customers
 * are one is a merge, an agent's call — and the intake goes on. Invalid: INVALID_IDENTITY.
 */
export async function addIdentityDuringIntake(
  tx: Executor,
  workspaceId: number,
  customerId: number,
  raw: { kind: IdentityKind; value: string },
  now: Date,
  actor: Actor,
): Promise<Result<CustomerIdentity | null>> {
  const country = raw.kind === 'phone' ? await workspaceCountry(tx, workspaceId) : undefined;
  const n = normalizeIdentity(raw.kind, raw.value, country);
  if (!n.ok) return n;
  const existing = await findIdentityByValue(tx, workspaceId, raw.kind, n.value);
  if (existing) return ok(null);
  const added = await insertIdentity(tx, { workspaceId, customerId, kind: raw.kind, value: n.value, now });
  if (!added) return ok(null);
  await touchCustomer(tx, workspaceId, customerId, now);
  await recordEvent(tx, identityEvent('customer.identity_added', workspaceId, customerId, added, actor, now));
  return ok(added);
}

/** The audit event of an identity added to or removed from a customer. */
const identityEvent = (
  type: 'customer.identity_added' | 'customer.identity_removed',
  workspaceId: number,
  customerId: number,
  identity: CustomerIdentity,
  actor: Actor,
  at: Date,
): NewEvent => ({
  workspaceId,
  type,
  entityType: 'customer',
  entityId: customerId,
  actor,
  data: { identityId: identity.id, kind: identity.kind, value: identity.value },
  at,
});

export async function createCustomer(
  deps: Deps,
  workspaceId: number,
  actor: Actor,
  input: CreateCustomerInput,
): Promise<Result<CustomerView>> {
  const { identities: rawIdentities = [], ...fields } = input;
  if (!fields.name && rawIdentities.length === 0) {
    return fail('VALIDATION_FAILED', 'A customer needs a name or at least one identity');
  }
  return inTransaction(deps.db, async (tx) => {
    const now = deps.clock.now();
    const country = await workspaceCountry(tx, workspaceId);
    // Normalise every identity before writing anything; the same identity typed twice is kept once.
    const wanted = new Map<string, { kind: IdentityKind; value: string }>();
    for (const raw of rawIdentities) {
      const n = normalizeIdentity(raw.kind, raw.value, country);
      if (!n.ok) return n;
      wanted.set(`${raw.kind}\u0000${n.value}`, { kind: raw.kind, value: n.value });
    }
    const first = [...wanted.values()][0];
    const name = fields.name ?? defaultNameFor(first!.kind, first!.value);
    const attributes = fields.attributes ? dropNulls(fields.attributes) : undefined;
    const customer = await insertCustomer(tx, workspaceId, { ...fields, attributes, name }, now);
    const identities: CustomerIdentity[] = [];
    for (const identity of wanted.values()) {
      const added = await attachIdentity(tx, workspaceId, customer.id, identity, country, now);
      if (!added.ok) return added;
      identities.push(added.value);
    }
    await recordEvent(tx, {
      workspaceId,
      type: 'customer.created',
      entityType: 'customer',
      entityId: customer.id,
      actor,
      data: customerCreatedData(
        customer,
        identities.map((i) => ({ id: i.id, kind: i.kind, value: i.value })),
      ),
      at: now,
    });
    return ok({ customer, identities });
  });
}

const dropNulls = (a: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(a).filter(([, v]) => v !== null));

/**
 * Updates a customer's profile. `attributes` is a JSON merge patch: keys given are set, keys set to null
 * are removed, others stay. The event keeps the before and after of the fields that actually changed.
 */
export async function updateCustomer(
  deps: Deps,
  workspaceId: number,
  id: number,
  actor: Actor,
  patch: UpdateCustomerInput,
): Promise<Result<CustomerView>> {
  return inTransaction(deps.db, async (tx) => {
    const before = await lockCustomer(tx, workspaceId, id);
    if (!before) return customerNotFound(tx, workspaceId, id);
    const set: CustomerFields = { ...patch, attributes: undefined };
    if (patch.attributes) {
      const merged = dropNulls({ ...before.attributes, ...patch.attributes });
      if (Object.keys(merged).length > MAX_ATTRIBUTE_KEYS || attributesSize(merged) > MAX_ATTRIBUTES_BYTES) {
        return fail('VALIDATION_FAILED', 'Custom attributes would grow past their limit', {
          maxKeys: MAX_ATTRIBUTE_KEYS,
          maxBytes: MAX_ATTRIBUTES_BYTES,
        });
      }
      set.attributes = merged;
    }
    const beforeSnap = customerSnapshot(before);
    const candidate = customerSnapshot({ ...before, ...stripUndefined(set) });
    const changed = (Object.keys(candidate) as (keyof typeof candidate)[]).filter(
      (k) => JSON.stringify(candidate[k]) !== JSON.stringify(beforeSnap[k]),
    );
    const identities = await listIdentities(tx, workspaceId, [id]);
    if (changed.length === 0) return ok({ customer: before, identities });
    const now = deps.clock.now();
    const after = await updateCustomerRow(tx, workspaceId, id, { ...stripUndefined(set), updatedAt: now });
    if (!after) return fail('CUSTOMER_NOT_FOUND', 'Customer not found');
    const afterSnap = customerSnapshot(after);
    await recordEvent(tx, {
      workspaceId,
      type: 'customer.updated',
      entityType: 'customer',
      entityId: id,
      actor,
      data: {
        before: Object.fromEntries(changed.map((k) => [k, beforeSnap[k]])),
        after: Object.fromEntries(changed.map((k) => [k, afterSnap[k]])),
      },
      at: now,
    });
    return ok({ customer: after, identities });
  });
}

const stripUndefined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

export async function addCustomerIdentity(
  deps: Deps,
  workspaceId: number,
  customerId: number,
  actor: Actor,
  raw: { kind: IdentityKind; value: string },
): Promise<Result<CustomerIdentity>> {
  return inTransaction(deps.db, async (tx) => {
    const customer = await lockCustomer(tx, workspaceId, customerId);
    if (!customer) return customerNotFound(tx, workspaceId, customerId);
    const now = deps.clock.now();
    const country = await workspaceCountry(tx, workspaceId);
    const added = await attachIdentity(tx, workspaceId, customerId, raw, country, now);
    if (!added.ok) return added;
    await touchCustomer(tx, workspaceId, customerId, now);
    await recordEvent(
      tx,
      identityEvent('customer.identity_added', workspaceId, customerId, added.value, actor, now),
    );
    return added;
  });
}

export async function removeCustomerIdentity(
  deps: Deps,
  workspaceId: number,
  customerId: number,
  identityId: number,
  actor: Actor,
): Promise<Result<CustomerIdentity>> {
  return inTransaction(deps.db, async (tx) => {
    const customer = await lockCustomer(tx, workspaceId, customerId);
    if (!customer) return customerNotFound(tx, workspaceId, customerId);
    const removed = await deleteIdentity(tx, workspaceId, customerId, identityId);
    if (!removed) return fail('IDENTITY_NOT_FOUND', 'This customer has no such identity');
    const now = deps.clock.now();
    await touchCustomer(tx, workspaceId, customerId, now);
    await recordEvent(
      tx,
      identityEvent('customer.identity_removed', workspaceId, customerId, removed, actor, now),
    );
    return ok(removed);
  });
}

import { and, asc, eq, inArray } from 'drizzle-orm';
import { type Executor, schema } from '../../db/index.js';
import type { IdentityKind } from './identities.js';

/** A customer's ways to be recognised (e-mail addresses, phone numbers, external ids): their rows. */
const ci = schema.customerIdentities;

export type CustomerIdentity = typeof ci.$inferSelect;

export async function listIdentities(
  db: Executor,
  workspaceId: number,
  customerIds: number[],
): Promise<CustomerIdentity[]> {
  if (customerIds.length === 0) return [];
  return db
    .select()
    .from(ci)
    .where(and(eq(ci.workspaceId, workspaceId), inArray(ci.customerId, customerIds)))
    .orderBy(asc(ci.id));
}

export async function findIdentityByValue(
  db: Executor,
  workspaceId: number,
  kind: IdentityKind,
  value: string,
): Promise<CustomerIdentity | undefined> {
  const [row] = await db
    .select()
    .from(ci)
    .where(and(eq(ci.workspaceId, workspaceId), eq(ci.kind, kind), eq(ci.value, value)));
  return row;
}

/** Undefined when the (kind, value) already belongs to someone in the workspace. */
export async function insertIdentity(
  db: Executor,
  values: { workspaceId: number; customerId: number; kind: IdentityKind; value: string; now: Date },
): Promise<CustomerIdentity | undefined> {
  const [row] = await db
    .insert(ci)
    .values({
      workspaceId: values.workspaceId,
      customerId: values.customerId,
      kind: values.kind,
      value: values.value,
      createdAt: values.now,
    })
    .onConflictDoNothing()
    .returning();
  return row;
}

export async function deleteIdentity(
  db: Executor,
  workspaceId: number,
  customerId: number,
  identityId: number,
): Promise<CustomerIdentity | undefined> {
  const [row] = await db
    .delete(ci)
    .where(and(eq(ci.workspaceId, workspaceId), eq(ci.customerId, customerId), eq(ci.id, identityId)))
    .returning();
  return row;
}

/** All the customer's identities move to another; or only `onlyIds` of them (a customer split). */
export async function moveIdentities(
  tx: Executor,
  workspaceId: number,
  fromCustomerId: number,
  toCustomerId: number,
  onlyIds?: number[],
): Promise<number[]> {
  const rows = await tx
    .update(ci)
    .set({ customerId: toCustomerId })
    .where(
      and(
        eq(ci.workspaceId, workspaceId),
        eq(ci.customerId, fromCustomerId),
        onlyIds ? inArray(ci.id, onlyIds) : undefined,
      ),
    )
    .returning({ id: ci.id });
  return rows.map((r) => r.id).sort((a, b) => a - b);
}

import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { anyId, type Executor, executePrepared, returningOf, schema } from '../../db/index.js';
import { type Actor, type Cursor, eventColumns, eventValues } from '../../platform/index.js';
import { customerCreatedData, intakeCustomer } from './customer-events.js';
import type { IdentityKind } from './identities.js';

const c = schema.customers;
const ci = schema.customerIdentities;

/** Every column but the generated search vector, which nobody needs to read back. */
const customerColumns = {
  workspaceId: c.workspaceId,
  id: c.id,
  name: c.name,
  company: c.company,
  locale: c.locale,
  timeZone: c.timeZone,
  customerSince: c.customerSince,
  tier: c.tier,
  lifetimeValue: c.lifetimeValue,
  attributes: c.attributes,
  notes: c.notes,
  mergedIntoId: c.mergedIntoId,
  createdAt: c.createdAt,
  updatedAt: c.updatedAt,
};

export type Customer = Omit<typeof c.$inferSelect, 'search'>;
export type { CustomerIdentity } from './identities.repo.js';
export type CustomerFields = Partial<
  Pick<
    Customer,
    | 'name'
    | 'company'
    | 'locale'
    | 'timeZone'
    | 'customerSince'
    | 'tier'
    | 'lifetimeValue'
    | 'attributes'
    | 'notes'
  >
>;

/**
 * One customer by id: live only unless `includeMerged`, and row-locked for the transaction with `lock`:
 * `update` to change it (or merge it away), `key share` to rely on it (intake attaching a conversation to
 * it), which waits for a merge of it in progress and then reads the merged row.
 */
async function selectCustomer(
  db: Executor,
  workspaceId: number,
  id: number,
  options: { includeMerged?: boolean; lock?: 'update' | 'key share' } = {},
): Promise<Customer | undefined> {
  const where = [eq(c.workspaceId, workspaceId), eq(c.id, id)];
  if (!options.includeMerged) where.push(isNull(c.mergedIntoId));
  const query = db
    .select(customerColumns)
    .from(c)
    .where(and(...where));
  const [row] = options.lock ? await query.for(options.lock) : await query;
  return row;
}

/** A live customer (not merged into another). */
export const findCustomer = (db: Executor, workspaceId: number, id: number) =>
  selectCustomer(db, workspaceId, id);

/** A customer whether merged or not, to tell "merged away" from "never existed". */
export const findCustomerIncludingMerged = (db: Executor, workspaceId: number, id: number) =>
  selectCustomer(db, workspaceId, id, { includeMerged: true });

/** Locks a live customer's row for the rest of the transaction (updates, identity changes, merging it away). */
export const lockCustomer = (db: Executor, workspaceId: number, id: number) =>
  selectCustomer(db, workspaceId, id, { lock: 'update' });

/**
 * A live customer a new conversation is about to point at, key-share locked until commit: a merge of it
 * (which locks it for update) either waits for this transaction, and then moves its conversation too, or
 * has committed first, and then the customer is no longer live.
 */
export const findCustomerForIntake = (db: Executor, workspaceId: number, id: number) =>
  selectCustomer(db, workspaceId, id, { lock: 'key share' });

/** Like findCustomerForIntake, merged or not: to follow a merge to the surviving customer. */
export const findCustomerForIntakeIncludingMerged = (db: Executor, workspaceId: number, id: number) =>
  selectCustomer(db, workspaceId, id, { includeMerged: true, lock: 'key share' });

export async function insertCustomer(
  db: Executor,
  workspaceId: number,
  fields: CustomerFields & { name: string },
  now: Date,
): Promise<Customer> {
  const [row] = await db
    .insert(c)
    .values({ ...fields, workspaceId, createdAt: now, updatedAt: now })
    .returning(customerColumns);
  return row!;
}

export async function updateCustomerRow(
  db: Executor,
  workspaceId: number,
  id: number,
  patch: CustomerFields & { updatedAt: Date },
): Promise<Customer | undefined> {
  const [row] = await db
    .update(c)
    .set(patch)
    .where(and(eq(c.workspaceId, workspaceId), eq(c.id, id), isNull(c.mergedIntoId)))
    .returning(customerColumns);
  return row;
}

/** Only for a customer this transaction just created and nobody else can have seen or referenced. */
export async function deleteNewCustomer(db: Executor, workspaceId: number, id: number): Promise<void> {
  await db.delete(c).where(and(eq(c.workspaceId, workspaceId), eq(c.id, id)));
}

export async function touchCustomer(db: Executor, workspaceId: number, id: number, now: Date) {
  await db
    .update(c)
    .set({ updatedAt: now })
    .where(and(eq(c.workspaceId, workspaceId), eq(c.id, id)));
}

/** Live customers, most recently changed first, one keyset page (no OFFSET). */
export async function listCustomers(
  db: Executor,
  workspaceId: number,
  page: { cursor?: Cursor; limit: number },
): Promise<Customer[]> {
  const conditions = [eq(c.workspaceId, workspaceId), isNull(c.mergedIntoId)];
  if (page.cursor) {
    conditions.push(sql`(${c.updatedAt}, ${c.id}) < (${page.cursor.t}::timestamptz, ${page.cursor.id})`);
  }
  return db
    .select(customerColumns)
    .from(c)
    .where(and(...conditions))
    .orderBy(desc(c.updatedAt), desc(c.id))
    .limit(page.limit);
}

/** Live customers by id, in no particular order. */
export async function findCustomersByIds(db: Executor, workspaceId: number, ids: number[]) {
  if (ids.length === 0) return [];
  return db
    .select(customerColumns)
    .from(c)
    .where(and(eq(c.workspaceId, workspaceId), anyId(c.id, ids), isNull(c.mergedIntoId)));
}

const customerRow = returningOf<Customer>(customerColumns);

export type IdentityIntake =
  /** The identity belongs to this customer (possibly merged into another since: follow mergedIntoId). */
  | { found: Customer }
  /**
   * A new customer. `identityId` is null when a concurrent transaction committed the same identity after
   * this statement's snapshot was taken: the new customer is then an orphan nobody else has seen, and the
   * caller deletes it (deleteNewCustomer) and tries again, which finds the other transaction's customer.
   */
  | { created: Customer; identityId: number | null };

/**
 * Intake's find-or-create in one statement (one round trip): the customer behind an identity, or else a new
 * customer with that identity and its `customer.created` event. The identity is inserted with ON CONFLICT DO
 * NOTHING, which waits for a concurrent transaction inserting the same identity; the event is written only
 * with the identity. A found customer is key-share locked (in the same statement) until the caller commits:
 * a merge of it, which locks it for update, either waits for the intake (and then moves its new conversation
 * along) or has just committed, and then the row read after the wait carries `mergedIntoId` to follow.
 */
export async function findOrInsertCustomerByIdentity(
  tx: Executor,
  workspaceId: number,
  identity: { kind: IdentityKind; value: string },
  fields: { name: string; locale: string | null },
  actor: Actor,
  now: Date,
): Promise<IdentityIntake> {
  const at = now.toISOString();
  const event = eventValues({
    workspaceId,
    type: 'customer.created',
    entityType: 'customer',
    entityId: sql`created."id"`,
    actor,
    // The shape the API path writes too; the identity (its id is known only here) is added in SQL.
    data: customerCreatedData(intakeCustomer(fields), []),
    moreData: sql`jsonb_build_object('identities', jsonb_build_array(jsonb_build_object(
      'id', added.id, 'kind', ${identity.kind}::text, 'value', ${identity.value}::text)))`,
    at: now,
  });
  const [row] = await executePrepared(
    tx,
    sql`
    with found as (
      select ${customerRow.list('c')} from customer_identities i
      join customers c on c.workspace_id = i.workspace_id and c.id = i.customer_id
      where i.workspace_id = ${workspaceId} and i.kind = ${identity.kind} and i.value = ${identity.value}
      for key share of c
    ), created as (
      insert into customers (workspace_id, name, locale, created_at, updated_at)
      select ${workspaceId}, ${fields.name}, ${fields.locale}, ${at}, ${at} where not exists (select from found)
      returning ${customerRow.list()}
    ), added as (
      insert into customer_identities (workspace_id, customer_id, kind, value, created_at)
      select ${workspaceId}, created."id", ${identity.kind}, ${identity.value}, ${at} from created
      on conflict do nothing
      returning id
    ), event as (
      insert into events ${eventColumns} select ${event} from created, added
    )
    select false as "isNew", found.*, null::bigint as "identityId" from found
    union all
    select true, created.*, (select id from added) from created`,
  );
  if (!row) throw new Error('find-or-insert of a customer returned no row');
  const customer = customerRow.read(row);
  if (!row.isNew) return { found: customer };
  return { created: customer, identityId: row.identityId === null ? null : Number(row.identityId) };
}

/**
 * Marks a customer as merged into another. The row stays, so old links resolve to "merged into #n";
 * lists and search no longer show it. Returns false when the source is not a live customer.
 */
export async function markCustomerMerged(
  tx: Executor,
  workspaceId: number,
  sourceId: number,
  targetId: number,
  now: Date,
): Promise<boolean> {
  const rows = await tx
    .update(c)
    .set({ mergedIntoId: targetId, updatedAt: now })
    .where(and(eq(c.workspaceId, workspaceId), eq(c.id, sourceId), isNull(c.mergedIntoId)))
    .returning({ id: c.id });
  return rows.length > 0;
}

/** What an erased customer is called: no personal data, still a row for the counts. */
export const ERASED_NAME = 'Erased customer';

/**
 * GDPR erasure of a customer's own record and of the records merged into it: name, company, notes and
 * custom attributes cleared, every identity (e-mail, phone, chat, social, external id) deleted. Tier,
 * lifetime value and dates stay (metrics). Returns the customer ids touched and how many identities went;
 * undefined when the customer does not exist in this workspace.
 */
export async function eraseCustomerRecords(
  tx: Executor,
  workspaceId: number,
  customerId: number,
  now: Date,
): Promise<{ customerIds: number[]; identities: number } | undefined> {
  const target = await tx
    .select({ id: c.id })
    .from(c)
    .where(and(eq(c.workspaceId, workspaceId), eq(c.id, customerId)))
    .for('update');
  if (target.length === 0) return undefined;
  const merged = await tx
    .select({ id: c.id })
    .from(c)
    .where(and(eq(c.workspaceId, workspaceId), eq(c.mergedIntoId, customerId)))
    .for('update');
  const customerIds = [customerId, ...merged.map((r) => r.id)];
  await tx
    .update(c)
    .set({ name: ERASED_NAME, company: null, notes: null, attributes: {}, updatedAt: now })
    .where(and(eq(c.workspaceId, workspaceId), inArray(c.id, customerIds)));
  const gone = await tx
    .delete(ci)
    .where(and(eq(ci.workspaceId, workspaceId), inArray(ci.customerId, customerIds)))
    .returning({ id: ci.id });
  return { customerIds, identities: gone.length };
}

/** What a list row shows of its customer (the inbox): the same fields as a conversation's customer summary. */
export type CustomerSummary = Pick<Customer, 'id' | 'name' | 'company' | 'tier' | 'locale' | 'mergedIntoId'>;

const summaryRow = returningOf<CustomerSummary>(
  {
    id: c.id,
    name: c.name,
    company: c.company,
    tier: c.tier,
    locale: c.locale,
    mergedIntoId: c.mergedIntoId,
  },
  'customer.',
);

/**
 * For another module's hot list statement (the inbox): the customer summary of each row of a page, joined on
 * the customers' primary key `(workspace_id, id)`, in the same statement. Wrap the page (already limited) as
 * `select p.*, ${columns} from (page) p ${join('p."workspaceId"', 'p."customerId"')}`, so the join touches
 * only the page's rows (one primary-key lookup each); `read` takes the summary back out of a raw row. The
 * table stays this module's: the SQL naming it is written here.
 */
export const customerSummaryJoin = {
  columns: summaryRow.list('cu'),
  join: (workspaceIdExpr: string, customerIdExpr: string) =>
    sql.raw(`join customers cu on cu.workspace_id = ${workspaceIdExpr} and cu.id = ${customerIdExpr}`),
  read: (row: Record<string, unknown>): CustomerSummary => summaryRow.read(row),
};

/** The tiers of live customers (a merged one counts as absent, as in `findCustomer`), for work over many. */
export async function customerTiers(
  db: Executor,
  workspaceId: number,
  ids: number[],
): Promise<Map<number, string | null>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: c.id, tier: c.tier })
    .from(c)
    .where(and(eq(c.workspaceId, workspaceId), anyId(c.id, ids), isNull(c.mergedIntoId)));
  return new Map(rows.map((r) => [r.id, r.tier]));
}

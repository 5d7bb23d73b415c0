import { type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/index.js';
import { type Customer, type CustomerIdentity, findCustomersByIds } from './customers.repo.js';
import { workspaceCountry } from './find-or-create.js';
import { identityKinds, normalizeIdentity } from './identities.js';
import { listIdentities } from './identities.repo.js';

/** Rows each branch may contribute before ranking; keeps a common name from scanning the workspace. */
const BRANCH_LIMIT = 200;
/** Shortest query that runs substring (trigram) matching; shorter ones only match exactly or by prefix. */
export const MIN_PARTIAL_LENGTH = 3;
const MIN_PHONE_SUFFIX_DIGITS = 6;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** `jo:* & smi:*` from "Jo Smi": letters and digits only, so the text can never break to_tsquery. */
export function prefixQuery(q: string): string | undefined {
  const words = q
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean)
    .slice(0, 8);
  return words.length > 0 ? words.map((w) => `${w}:*`).join(' & ') : undefined;
}

/** The trailing digits of a typed phone number, without trunk or international prefixes ("030 123" -> "30123"). */
export function phoneSuffix(q: string): string | undefined {
  if (!/^[+\d\s().\-/]+$/.test(q)) return undefined;
  const digits = q.replace(/\D/g, '').replace(/^0+/, '');
  return digits.length >= MIN_PHONE_SUFFIX_DIGITS ? digits : undefined;
}

export type CustomerHit = { customer: Customer; identities: CustomerIdentity[]; rank: 0 | 1 | 2 };

/**
 * Finds live customers of one workspace by what an agent types: an exact identity in any common format
 * (rank 0), a name or company prefix through the stored tsvector (rank 1), a partial e-mail, id or name, or
 * the trailing digits (at least 6) of a phone number, through the trigram indexes (rank 2). Phones are not
 * matched by arbitrary inner digits: "123" would hit half the book. Ties go to the most recently
 * updated. Every branch is index-backed and capped, so no query walks all customers.
 */
export async function searchCustomers(
  db: Executor,
  workspaceId: number,
  q: string,
  limit: number,
): Promise<CustomerHit[]> {
  const text = q.trim().slice(0, 200);
  if (text.length === 0) return [];
  const defaultCountry = await workspaceCountry(db, workspaceId);
  const ws = workspaceId;
  const branches: SQL[] = [];

  const exact: SQL[] = [];
  for (const kind of identityKinds) {
    const n = normalizeIdentity(kind, text, defaultCountry);
    if (n.ok) exact.push(sql`(kind = ${kind} and value = ${n.value})`);
  }
  if (exact.length > 0) {
    branches.push(sql`(select customer_id as id, 0 as rank from customer_identities
      where workspace_id = ${ws} and (${sql.join(exact, sql` or `)}) limit ${BRANCH_LIMIT})`);
  }

  const tsq = prefixQuery(text);
  if (tsq) {
    branches.push(sql`(select id, 1 as rank from customers
      where workspace_id = ${ws} and merged_into_id is null and search @@ to_tsquery('simple', ${tsq})
      limit ${BRANCH_LIMIT})`);
  }

  const partial = text.replace(/^@/, '').toLowerCase();
  if (partial.length >= MIN_PARTIAL_LENGTH) {
    const like = `%${escapeLike(partial)}%`;
    branches.push(sql`(select customer_id as id, 2 as rank from customer_identities
      where workspace_id = ${ws} and kind <> 'phone' and value ilike ${like} limit ${BRANCH_LIMIT})`);
    branches.push(sql`(select id, 2 as rank from customers
      where workspace_id = ${ws} and merged_into_id is null and lower(name) like ${like}
      limit ${BRANCH_LIMIT})`);
  }

  const suffix = phoneSuffix(text);
  if (suffix) {
    branches.push(sql`(select customer_id as id, 2 as rank from customer_identities
      where workspace_id = ${ws} and kind = 'phone' and value like ${`%${suffix}`} limit ${BRANCH_LIMIT})`);
  }

  if (branches.length === 0) return [];
  const result = await db.execute(sql`
    select h.id, min(h.rank) as rank
    from (${sql.join(branches, sql` union all `)}) h
    join customers c on c.workspace_id = ${ws} and c.id = h.id and c.merged_into_id is null
    group by h.id, c.updated_at
    order by min(h.rank), c.updated_at desc, h.id desc
    limit ${limit}`);
  const ranked = (result.rows as { id: number | string; rank: number | string }[]).map((r) => ({
    id: Number(r.id),
    rank: Number(r.rank) as CustomerHit['rank'],
  }));
  const ids = ranked.map((r) => r.id);
  const customers = await findCustomersByIds(db, ws, ids);
  const identities = await listIdentities(db, ws, ids);
  const byId = new Map(customers.map((cu) => [cu.id, cu]));
  return ranked.flatMap((r) => {
    const customer = byId.get(r.id);
    if (!customer) return [];
    return [{ customer, identities: identities.filter((i) => i.customerId === r.id), rank: r.rank }];
  });
}

import type { customers } from '../../db/schema/customers.js';

type Customer = typeof customers.$inferSelect;

/** The profile fields a customer event records (never the generated search vector or ids). */
export type CustomerSnapshot = ReturnType<typeof customerSnapshot>;

export const customerSnapshot = (
  c: Pick<
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
  >,
) => ({
  name: c.name,
  company: c.company,
  locale: c.locale,
  timeZone: c.timeZone,
  customerSince: c.customerSince?.toISOString() ?? null,
  tier: c.tier,
  lifetimeValue: c.lifetimeValue,
  attributes: c.attributes,
  notes: c.notes,
});

/** A customer row as intake inserts it (a name and a locale; the table's defaults for the rest). */
export const intakeCustomer = (fields: { name: string; locale: string | null }) => ({
  company: null,
  timeZone: null,
  customerSince: null,
  tier: null,
  lifetimeValue: null,
  attributes: {},
  notes: null,
  ...fields,
});

/**
 * The data of `customer.created`, the one shape for every way a customer is created (the API, intake):
 * `{ after: <every profile field>, identities: [{ id, kind, value }] }`. Intake writes the event inside its
 * one-statement insert and adds `identities` there (the identity's id is known only in SQL), over the empty
 * list given here.
 */
export const customerCreatedData = (
  customer: Parameters<typeof customerSnapshot>[0],
  identities: Array<{ id: number; kind: string; value: string }>,
) => ({ after: customerSnapshot(customer), identities });

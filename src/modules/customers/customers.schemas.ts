import { z } from 'zod';
import { iso, isoDateTime, isoTime, optionalIsoTime } from '../../platform/index.js';
import type { Customer, CustomerIdentity } from './customers.repo.js';
import { identityKinds, MAX_IDENTITY_LENGTH } from './identities.js';

/** Custom attributes are a small JSON object, not a document store. */
export const MAX_ATTRIBUTES_BYTES = 16_384;
export const MAX_ATTRIBUTE_KEYS = 100;

export const identityKindSchema = z.enum(identityKinds);

export const identitySchema = z
  .object({ id: z.number(), kind: identityKindSchema, value: z.string(), createdAt: isoTime })
  .describe('CustomerIdentity');

export const customerSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    company: z.string().nullable(),
    locale: z.string().nullable(),
    timeZone: z.string().nullable(),
    customerSince: optionalIsoTime,
    tier: z.string().nullable(),
    lifetimeValue: z.number().nullable(),
    attributes: z.record(z.string(), z.unknown()),
    notes: z.string().nullable(),
    identities: z.array(identitySchema),
    createdAt: isoTime,
    updatedAt: isoTime,
  })
  .describe('Customer');

export const presentIdentity = (i: CustomerIdentity) => ({
  id: i.id,
  kind: i.kind,
  value: i.value,
  createdAt: iso(i.createdAt)!,
});

export const presentCustomer = (customer: Customer, identities: CustomerIdentity[]) => ({
  id: customer.id,
  name: customer.name,
  company: customer.company,
  locale: customer.locale,
  timeZone: customer.timeZone,
  customerSince: iso(customer.customerSince),
  tier: customer.tier,
  lifetimeValue: customer.lifetimeValue,
  attributes: customer.attributes,
  notes: customer.notes,
  identities: identities.filter((i) => i.customerId === customer.id).map(presentIdentity),
  createdAt: iso(customer.createdAt)!,
  updatedAt: iso(customer.updatedAt)!,
});

const isLocale = (s: string) => {
  try {
    return Intl.getCanonicalLocales(s).length === 1;
  } catch {
    return false;
  }
};
const isTimeZone = (s: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: s });
    return true;
  } catch {
    return false;
  }
};

export const attributesSize = (a: Record<string, unknown>) => Buffer.byteLength(JSON.stringify(a));

const text = (max: number) => z.string().trim().min(1).max(max);
const locale = z.string().trim().max(35).refine(isLocale, 'not a BCP 47 language tag, e.g. de-DE');
const timeZone = z.string().trim().max(64).refine(isTimeZone, 'not an IANA time zone, e.g. Europe/Berlin');
const when = isoDateTime.transform((s) => new Date(s));
const money = z.number().min(0).max(999_999_999_999.99);
/** In a PATCH, a key set to null removes that attribute (JSON merge patch); on create nulls are kept out. */
const attributes = z
  .record(z.string().min(1).max(100), z.unknown())
  .refine((a) => Object.keys(a).length <= MAX_ATTRIBUTE_KEYS, `at most ${MAX_ATTRIBUTE_KEYS} attributes`)
  .refine((a) => attributesSize(a) <= MAX_ATTRIBUTES_BYTES, `at most ${MAX_ATTRIBUTES_BYTES} bytes of JSON`);

export const newIdentityBody = z.strictObject({
  kind: identityKindSchema,
  value: z.string().max(MAX_IDENTITY_LENGTH + 100),
});

export const createCustomerBody = z.strictObject({
  name: text(200).optional(),
  company: text(200).optional(),
  locale: locale.optional(),
  timeZone: timeZone.optional(),
  customerSince: when.optional(),
  tier: text(50).optional(),
  lifetimeValue: money.optional(),
  attributes: attributes.optional(),
  notes: z.string().max(10_000).optional(),
  identities: z.array(newIdentityBody).max(20).optional(),
});
export type CreateCustomerInput = z.infer<typeof createCustomerBody>;

export const updateCustomerBody = z
  .strictObject({
    name: text(200),
    company: text(200).nullable(),
    locale: locale.nullable(),
    timeZone: timeZone.nullable(),
    customerSince: when.nullable(),
    tier: text(50).nullable(),
    lifetimeValue: money.nullable(),
    attributes,
    notes: z.string().max(10_000).nullable(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');
export type UpdateCustomerInput = z.infer<typeof updateCustomerBody>;

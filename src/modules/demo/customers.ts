import type { Channel } from '../../db/schema/index.js';
import {
  asciiSlug,
  type Country,
  companyNames,
  countries,
  emailDomains,
  firstNames,
  lastNames,
  phoneFor,
} from './names.js';
import { type Rng, rngFor, weightedPicker } from './prng.js';
import { DAY } from './rhythm.js';
import type { CustomerBatch, CustomerRow, IdentityRow } from './rows.js';

export const tiers = ['standard', 'silver', 'gold', 'platinum'] as const;
export type Tier = (typeof tiers)[number];

/** A customer as the simulation needs them. A pure function of (seed, index): nothing is kept in memory. */
export type DemoCustomer = {
  index: number;
  id: number;
  name: string;
  firstName: string;
  company: string | null;
  country: Country;
  timeZone: string;
  since: number;
  tier: Tier;
  lifetimeValue: number;
  email: string | null;
  phone: string | null;
  social: string | null;
  preferredChannel: Channel;
  marketingOptIn: boolean;
  notes: string | null;
};

export type CustomerContext = { seed: number | string; now: number; workspaceId: number; idBase: number };

const pickCountry = weightedPicker(
  countries,
  countries.map((c) => c.weight),
);
const pickTier = weightedPicker(tiers, [68, 19, 9, 4]);
/** Yearly spend by tier; lifetime value grows with tenure. */
const yearlyValue: Record<Tier, number> = { standard: 90, silver: 380, gold: 1_200, platinum: 4_500 };
/** Loyal tiers have been customers for longer. */
const tenureRange: Record<Tier, [number, number]> = {
  standard: [0, 7],
  silver: [1, 8],
  gold: [2, 10],
  platinum: [3, 10],
};

export const channelWeights: Record<Channel, number> = {
  email: 34,
  chat: 24,
  webform: 8,
  phone: 15,
  sms: 4,
  whatsapp: 10,
  social: 5,
  api: 0,
};

/** The channels this customer can use: phone-based ones need a number, social a handle. */
export function channelsOf(c: Pick<DemoCustomer, 'phone' | 'social'>): Channel[] {
  const all: Channel[] = ['email', 'chat', 'webform'];
  if (c.phone) all.push('phone', 'sms', 'whatsapp');
  if (c.social) all.push('social');
  return all;
}

export function pickChannel(options: readonly Channel[], rng: Rng): Channel {
  const total = options.reduce((s, ch) => s + channelWeights[ch], 0);
  let x = rng.next() * total;
  for (const ch of options) {
    x -= channelWeights[ch];
    if (x < 0) return ch;
  }
  return options[0] ?? 'email';
}

const customerNotes = [
  'Prefers to be called in the morning.',
  'Hard of hearing: prefers written channels.',
  'Asked not to receive marketing calls.',
  'Runs a small business; often asks about invoices.',
];

export function customerAt(ctx: CustomerContext, index: number): DemoCustomer {
  const rng = rngFor(ctx.seed, 'customer', index);
  const country = pickCountry(rng);
  const lang = rng.chance(0.8) ? country.language : 'en';
  const firstName = rng.pick(firstNames[lang]);
  const lastName = rng.pick(lastNames[lang]);
  const tier = pickTier(rng);
  // One customer in twenty joined in the last four months; the rest over up to ten years.
  const [lo, hi] = tenureRange[tier];
  const years = rng.chance(0.05) ? rng.next() * 0.33 : lo + (hi - lo) * rng.next() ** 1.4;
  const since = ctx.now - Math.floor(years * 365 * DAY) - rng.int(DAY);
  const lifetimeValue = Math.round(yearlyValue[tier] * (0.3 + years) * rng.logNormal(1, 0.45) * 100) / 100;

  const first = asciiSlug(firstName);
  const last = asciiSlug(lastName);
  // Every pattern ends in the index and is told apart by its punctuation, so addresses are unique.
  const local = rng.pick([
    `${first}.${last}${index}`,
    `${first}_${last}${index}`,
    `${first.charAt(0)}${last}.${index}`,
  ]);
  const hasPhone = rng.chance(0.68);
  const hasEmail = !hasPhone || rng.chance(0.95);
  // Social identities are `network:handle`, lower case, as the customers module normalises them.
  const social = rng.chance(0.12)
    ? `${rng.pick(['x', 'instagram', 'facebook'])}:${first}${last}_${index}`
    : null;
  const customer: DemoCustomer = {
    index,
    id: ctx.idBase + index + 1,
    name: `${firstName} ${lastName}`,
    firstName,
    company: rng.chance(0.2) ? rng.pick(companyNames) : null,
    country,
    timeZone: rng.pick(country.timeZones),
    since,
    tier,
    lifetimeValue,
    email: hasEmail ? `${local}@${rng.pick(emailDomains)}` : null,
    phone: hasPhone ? phoneFor(country, index) : null,
    social,
    preferredChannel: 'email',
    marketingOptIn: rng.chance(0.4),
    notes: rng.chance(0.04) ? rng.pick(customerNotes) : null,
  };
  customer.preferredChannel = pickChannel(channelsOf(customer), rng);
  return customer;
}

export function customerRow(ctx: CustomerContext, c: DemoCustomer): CustomerRow {
  const since = new Date(c.since);
  return {
    workspaceId: ctx.workspaceId,
    id: c.id,
    name: c.name,
    company: c.company,
    locale: c.country.locale,
    timeZone: c.timeZone,
    customerSince: since,
    tier: c.tier,
    lifetimeValue: c.lifetimeValue,
    attributes: {
      segment: c.company ? 'business' : 'consumer',
      country: c.country.code,
      marketingOptIn: c.marketingOptIn,
    },
    notes: c.notes,
    mergedIntoId: null,
    createdAt: since,
    updatedAt: since,
  };
}

/** Customers with their identities, in id order, `size` customers per batch. */
export function* customerBatches(
  ctx: CustomerContext,
  count: number,
  identityIdBase: number,
  size: number,
): Generator<CustomerBatch> {
  let identityId = identityIdBase;
  for (let start = 0; start < count; start += size) {
    const batch: CustomerBatch = { customers: [], identities: [] };
    for (let index = start; index < Math.min(count, start + size); index++) {
      const c = customerAt(ctx, index);
      const row = customerRow(ctx, c);
      batch.customers.push(row);
      const identity = (kind: IdentityRow['kind'], value: string): IdentityRow => ({
        workspaceId: ctx.workspaceId,
        id: ++identityId,
        customerId: c.id,
        kind,
        value,
        createdAt: row.createdAt,
      });
      if (c.email) batch.identities.push(identity('email', c.email));
      if (c.phone) batch.identities.push(identity('phone', c.phone));
      if (c.social) batch.identities.push(identity('social', c.social));
    }
    yield batch;
  }
}

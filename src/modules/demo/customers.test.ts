import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { normalizeIdentity } from '../customers/index.js';
import { type CustomerContext, customerBatches, tiers } from './customers.js';
import { DAY } from './rhythm.js';
import type { CustomerRow, IdentityRow } from './rows.js';

const now = Date.parse('2026-11-20T15:30:00Z');
const ctx: CustomerContext = { seed: 'customers-test', now, workspaceId: 1, idBase: 100 };
const customers: CustomerRow[] = [];
const identities: IdentityRow[] = [];
for (const batch of customerBatches(ctx, 20_000, 500, 3_000)) {
  customers.push(...batch.customers);
  identities.push(...batch.identities);
}

describe('demo customers', () => {
  test('identities are normalised the way the customers module normalises them, and unique per kind', () => {
    const seen = new Set<string>();
    for (const identity of identities) {
      const normalised = normalizeIdentity(identity.kind, identity.value);
      assert.ok(normalised.ok, `${identity.kind} ${identity.value}`);
      assert.equal(normalised.value, identity.value);
      const key = `${identity.kind} ${identity.value}`;
      assert.ok(!seen.has(key), `duplicate ${key}`);
      seen.add(key);
    }
    assert.ok(identities.some((i) => i.kind === 'phone' && i.value.startsWith('+1')));
    assert.ok(identities.some((i) => i.kind === 'phone' && i.value.startsWith('+44')));
    assert.equal(identities[0]?.id, 501);
  });

  test('every customer can be reached, by e-mail or phone', () => {
    const reachable = new Set(identities.filter((i) => i.kind !== 'social').map((i) => i.customerId));
    for (const c of customers) assert.ok(reachable.has(c.id));
  });

  test('tiers, tenure of up to ten years, and a lifetime value that grows with tier and tenure', () => {
    const byTier = new Map(tiers.map((t) => [t, [] as CustomerRow[]]));
    for (const c of customers) {
      byTier.get(c.tier as (typeof tiers)[number])?.push(c);
      const since = c.customerSince?.getTime() ?? 0;
      assert.ok(since <= now && since > now - 10 * 366 * DAY);
      assert.ok(c.locale && c.timeZone);
    }
    const mean = (rows: CustomerRow[], f: (c: CustomerRow) => number) =>
      rows.reduce((s, c) => s + f(c), 0) / rows.length;
    const value = (t: (typeof tiers)[number]) => mean(byTier.get(t) ?? [], (c) => c.lifetimeValue ?? 0);
    const tenure = (t: (typeof tiers)[number]) =>
      mean(byTier.get(t) ?? [], (c) => now - (c.customerSince?.getTime() ?? 0));
    assert.ok((byTier.get('standard')?.length ?? 0) > (byTier.get('platinum')?.length ?? 0) * 5);
    assert.ok(
      value('standard') < value('silver') &&
        value('silver') < value('gold') &&
        value('gold') < value('platinum'),
    );
    assert.ok(tenure('standard') < tenure('platinum'));
    const recent = customers.filter((c) => (c.customerSince?.getTime() ?? 0) > now - 120 * DAY);
    assert.ok(recent.length > customers.length * 0.02, 'some customers are new');
  });
});

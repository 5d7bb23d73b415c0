import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { phoneSuffix, prefixQuery } from './customers.search.js';
import { defaultNameFor, type IdentityKind, normalizeIdentity } from './identities.js';

const accepts = (kind: IdentityKind, raw: string, expected: string, country?: string) => {
  const r = normalizeIdentity(kind, raw, country);
  assert.deepEqual(r, { ok: true, value: expected }, `${kind} ${JSON.stringify(raw)} (${country ?? '-'})`);
};
const rejects = (kind: IdentityKind, raw: string, country?: string) => {
  const r = normalizeIdentity(kind, raw, country);
  assert.equal(r.ok, false, `${kind} ${JSON.stringify(raw)} should be rejected`);
  if (!r.ok) assert.equal(r.code, 'INVALID_IDENTITY');
};

describe('normalizeIdentity: email', () => {
  test('trims and case-folds', () => {
    accepts('email', ' John.Doe@Example.COM ', 'john.doe@example.com');
    accepts('email', 'MAILTO:ana+tag@shop.de', 'ana+tag@shop.de');
    accepts('email', 'o.brien@sub.example.co.uk', 'o.brien@sub.example.co.uk');
  });
  test('rejects what is not an address', () => {
    for (const raw of [
      '',
      '   ',
      'nope',
      'a@',
      '@b.com',
      'a b@c.com',
      'a@b',
      `${'x'.repeat(250)}@example.com`,
    ])
      rejects('email', raw);
  });
});

describe('normalizeIdentity: phone', () => {
  const berlin = '+49301234567';
  test('international formats need no default country', () => {
    for (const raw of [
      '+49 30 1234567',
      '+49 (0)30 1234567',
      '+49-30-123-4567',
      '0049 30 1234567',
      '+4930/1234567',
    ])
      accepts('phone', raw, berlin);
    accepts('phone', '+1 (212) 555-0123', '+12125550123');
    accepts('phone', '+1.212.555.0123', '+12125550123');
    accepts('phone', '+44 20 7183 8750', '+442071838750');
    accepts('phone', 'tel:+442071838750', '+442071838750');
    accepts('phone', '+33 1 23 45 67 89', '+33123456789');
  });
  test('national formats use the default country', () => {
    accepts('phone', '(030) 1234567', berlin, 'DE');
    accepts('phone', '030 123 4567', berlin, 'de');
    accepts('phone', '030-1234567', berlin, 'DE');
    accepts('phone', '212-555-0123', '+12125550123', 'US');
    accepts('phone', '(212) 555 0123', '+12125550123', 'US');
    accepts('phone', '020 7183 8750', '+442071838750', 'GB');
    accepts('phone', '01 23 45 67 89', '+33123456789', 'FR');
  });
  test('"00" works as the international prefix even where the country dials another', () => {
    accepts('phone', '0049 30 1234567', berlin, 'US');
    accepts('phone', '0049 30 1234567', berlin, 'DE');
  });
  test('an extension is dropped', () => {
    accepts('phone', '+1 212 555 0123 ext. 45', '+12125550123');
    accepts('phone', '+1 212 555 0123 x45', '+12125550123');
  });
  test('rejects what is not a phone number', () => {
    rejects('phone', '(030) 1234567'); // national, and no default country
    rejects('phone', '(030) 1234567', 'ZZ'); // unknown default country
    for (const raw of [
      '',
      '12',
      'abc',
      '+49 30 1234567 call me',
      '+4930123456789012345',
      '+999 123 456',
      '1-800-FLOWERS',
    ])
      rejects('phone', raw, 'US');
  });
});

describe('normalizeIdentity: chat, social, external', () => {
  test('social handles are network:handle in lower case without @', () => {
    accepts('social', 'Twitter:@JaneDoe', 'twitter:janedoe');
    accepts('social', ' x: @Jane ', 'x:jane');
    accepts('social', 'instagram:jane.doe_1', 'instagram:jane.doe_1');
    for (const raw of ['jane', '@jane', ':jane', 'x:', 'x:jane doe', `x:${'a'.repeat(200)}`])
      rejects('social', raw);
  });
  test('chat visitor ids and external ids are trimmed, kept case-sensitive, and limited', () => {
    accepts('chat', '  v-123AbC ', 'v-123AbC');
    accepts('external', ' CRM-0042 ', 'CRM-0042');
    accepts('external', 'x'.repeat(200), 'x'.repeat(200));
    rejects('external', 'x'.repeat(201));
    rejects('chat', '   ');
    rejects('chat', 'a\u0001b');
  });
});

describe('helpers', () => {
  test('default names', () => {
    assert.equal(defaultNameFor('email', 'jane.doe@example.com'), 'jane.doe');
    assert.equal(defaultNameFor('phone', '+49301234567'), '+49301234567');
    assert.equal(defaultNameFor('social', 'x:jane'), 'jane');
    assert.equal(defaultNameFor('chat', 'v-1'), 'Visitor v-1');
  });
  test('prefix queries keep only letters and digits', () => {
    assert.equal(prefixQuery('Jo'), 'jo:*');
    assert.equal(prefixQuery("  O'Brien & | ! :* Müller "), 'o:* & brien:* & müller:*');
    assert.equal(prefixQuery('&|!()'), undefined);
  });
  test('phone suffixes: digits only, without leading zeros, at least 6', () => {
    assert.equal(phoneSuffix('(030) 1234567'), '301234567');
    assert.equal(phoneSuffix('1234567'), '1234567');
    assert.equal(phoneSuffix('12345'), undefined);
    assert.equal(phoneSuffix('jane 123456'), undefined);
  });
});

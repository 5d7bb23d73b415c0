import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attributeName, attributeValue } from '../../web/src/format.js';

test('customer attribute keys read as words; values as words', () => {
  assert.equal(attributeName('marketingOptIn'), 'Marketing opt in');
  assert.equal(attributeName('account_type'), 'Account type');
  assert.equal(attributeName('plan'), 'Plan');
  assert.equal(attributeName('VAT number'), 'VAT number', 'a key in words stays as it is');
  assert.equal(attributeName('customerID'), 'Customer ID', 'acronyms keep their capitals');
  assert.equal(attributeName('x'), 'X');
  assert.equal(attributeName('e-mail_verified'), 'E-mail verified');
  assert.equal(attributeValue(true), 'Yes');
  assert.equal(attributeValue(false), 'No');
  assert.equal(attributeValue('business'), 'business');
  assert.equal(attributeValue(['a', 'b']), 'a, b');
  assert.equal(attributeValue({ a: 1 }), '{"a":1}');
  assert.equal(attributeValue(null), 'null');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rankByDescription } from './name-match.js';

const reasons = [
  { label: 'lost', text: 'Card lost or stolen. The customer lost their card or it was stolen' },
  { label: 'refund', text: 'Refund missing. A refund that was promised has not arrived' },
  { label: 'address', text: 'Change address. The customer moved and needs a new postal address' },
  { label: 'close', text: 'Close account. The customer wants to close or delete their account' },
];

test('ranks the reasons whose name and description share most with the text, best first', () => {
  const ranked = rankByDescription('Hi, my card was stolen on the train yesterday', reasons);
  assert.equal(ranked[0]?.label, 'lost');
  assert.ok(ranked.length <= 3);
  for (const r of ranked) assert.ok(r.score > 0 && r.score <= 1, `score ${r.score}`);
  assert.deepEqual(
    ranked.map((r) => r.score),
    [...ranked.map((r) => r.score)].sort((a, b) => b - a),
  );
  assert.equal(rankByDescription('Where are my refunds? Nothing arrived', reasons)[0]?.label, 'refund');
  assert.equal(rankByDescription('I moved house, here is my new address', reasons)[0]?.label, 'address');
});

test('a text that shares no word with any reason gets no suggestion; nor does an empty taxonomy', () => {
  assert.deepEqual(rankByDescription('zzqv xkcdq plorft', reasons), []);
  assert.deepEqual(rankByDescription('my card was stolen', []), []);
});

test('at most `top`, and a reason sharing nothing is never listed', () => {
  const ranked = rankByDescription('the customer', reasons, 2);
  assert.equal(ranked.length, 2);
  const one = rankByDescription('postal', reasons, 3);
  assert.deepEqual(
    one.map((r) => r.label),
    ['address'],
  );
});

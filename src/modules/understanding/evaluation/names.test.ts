import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluateNames } from './names.js';

test('the labels’ names alone rank each text: top 1, top 3 and the texts nothing was suggested for', () => {
  const examples = [
    { text: 'my card arrived broken', label: 'card_arrival' },
    { text: 'where is my refund', label: 'refund_missing' },
    { text: 'the refund for my card', label: 'card_arrival' },
    { text: 'zzqv plorft', label: 'refund_missing' },
  ];
  const r = evaluateNames(examples);
  assert.equal(r.texts, 4);
  assert.equal(r.labels, 2);
  // 1 and 2 first; 3 has both names' words (its own second at best, within the top 3); 4 shares nothing.
  assert.equal(r.none, 0.25);
  assert.ok(r.top1 >= 0.5 && r.top1 <= 0.75, `top1 ${r.top1}`);
  assert.equal(r.top3, 0.75);
});

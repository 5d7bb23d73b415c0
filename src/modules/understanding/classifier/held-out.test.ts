import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Example } from './classifier.js';
import { measureOnHeldOut } from './held-out.js';

const words: Record<string, string[]> = {
  card: ['card', 'lost', 'stolen', 'block', 'wallet'],
  refund: ['refund', 'money', 'back', 'return', 'reimburse'],
  address: ['address', 'moved', 'street', 'postal', 'home'],
  none: ['dog', 'branch', 'parking', 'coffee', 'weather'],
};
const examples: Example[] = Object.entries(words).flatMap(([label, w]) =>
  Array.from({ length: 20 }, (_, i) => ({
    label,
    text: `${w[i % 5]} ${w[(i + 1) % 5]} ${w[(i + 3) % 5]} please`,
  })),
);

test('with an out-of-scope class, the known labels are measured as without one, and its recall apart', () => {
  const m = measureOnHeldOut(examples, 0.2, { seed: 1, outOfScopeLabel: 'none' });
  assert.deepEqual(m.outOfScope, { support: 4, recall: 1 });
  assert.equal(m.held.length, 12, 'the known labels held out');
  assert.ok(!m.truths.includes('none'));
  assert.deepEqual(m.perClass.map((c) => c.label).sort(), ['address', 'card', 'refund']);
  assert.equal(m.accuracy, 1);
  assert.equal(
    m.reliability.reduce((n, b) => n + b.count, 0),
    12,
  );

  // Without the option, "none" is a label like the others.
  const plain = measureOnHeldOut(examples, 0.2, { seed: 1 });
  assert.equal(plain.outOfScope, null);
  assert.equal(plain.held.length, 16);
  assert.ok(plain.perClass.some((c) => c.label === 'none'));
});

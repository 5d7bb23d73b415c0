import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  matterSimilarity,
  profileOf,
  reasonOverlap,
  SIMILAR_ENOUGH,
  stem,
  terms,
  textSimilarity,
} from './similarity.js';

const sim = (a: string, b: string) => textSimilarity(profileOf([a]), profileOf([b]));

describe('stem', () => {
  test('brings the forms of a word together', () => {
    for (const w of ['charged', 'charges', 'charging', 'charge']) assert.equal(stem(w), stem('charge'), w);
    assert.equal(stem('stopped'), 'stop');
    assert.equal(stem('cards'), 'card');
    assert.equal(stem('refunds'), 'refund');
    assert.equal(stem('arrived'), stem('arriving'));
    assert.equal(stem('delivery'), stem('deliveries'));
  });

  test('leaves short words and words in -ss alone', () => {
    assert.equal(stem('bus'), 'bus');
    assert.equal(stem('pin'), 'pin');
    assert.equal(stem('address'), 'address');
  });
});

describe('terms', () => {
  test('drop stop words and punctuation, fold synonym phrases and words to one term', () => {
    assert.deepEqual(terms('I want my money back!'), terms('refund'));
    assert.deepEqual(terms('my debit card'), terms('card'));
    assert.deepEqual(terms('it was delivered'), terms('it arrived'));
    assert.deepEqual(terms('Hi, can you help me?'), []);
    assert.deepEqual(terms('Hi, can you help me with a refund?'), ['refund']);
  });
});

describe('textSimilarity', () => {
  test('1 for the same text, 0 for nothing in common or an empty text', () => {
    assert.ok(Math.abs(sim('my card was charged twice', 'my card was charged twice') - 1) < 1e-9);
    assert.equal(sim('refund', 'address'), 0);
    assert.equal(sim('', 'card'), 0);
  });

  test('paraphrases of one problem are similar enough, different problems are not', () => {
    assert.ok(
      sim('My new card has not been delivered yet', 'The card still has not arrived') >= SIMILAR_ENOUGH,
    );
    assert.ok(
      sim('I was charged twice for one purchase', 'why was my payment charged two times') >= SIMILAR_ENOUGH,
    );
    assert.ok(sim('I was charged twice for one purchase', 'How do I change my address?') < SIMILAR_ENOUGH);
  });

  test('character n-grams forgive a spelling slip', () => {
    assert.ok(sim('refund pleese', 'refunds please') > 0.5);
  });
});

describe('matterSimilarity', () => {
  test("the matter's texts taken together", () => {
    const mine = profileOf(['my card was charged twice']);
    const texts = ['my card was charged twice', 'the payment went through two times'];
    assert.equal(matterSimilarity(mine, texts), textSimilarity(mine, profileOf(texts)));
    assert.ok(matterSimilarity(mine, texts) >= SIMILAR_ENOUGH);
    assert.ok(
      matterSimilarity(mine, ['how do I change my address', 'what is the exchange rate']) < SIMILAR_ENOUGH,
    );
    assert.equal(matterSimilarity(mine, []), 0);
  });

  test('a profile of several texts sums their counts before weighting (1 + log tf)', () => {
    const p = profileOf(['refund', 'refund']);
    assert.ok(Math.abs((p.words.get('refund') ?? 0) - (1 + Math.log(2))) < 1e-9);
    assert.equal(profileOf(['refund']).words.get('refund'), 1);
  });
});

describe('reasonOverlap', () => {
  const a = [
    { reasonId: 1, probability: 0.6 },
    { reasonId: 2, probability: 0.3 },
    { reasonId: 3, probability: 0.1 },
  ];
  test('histogram intersection, the best over the matter’s conversations', () => {
    assert.ok(Math.abs(reasonOverlap(a, [a]) - 1) < 1e-9);
    const b = [
      { reasonId: 2, probability: 0.7 },
      { reasonId: 1, probability: 0.2 },
      { reasonId: 9, probability: 0.1 },
    ];
    assert.ok(Math.abs(reasonOverlap(a, [b]) - 0.5) < 1e-9);
    assert.ok(Math.abs(reasonOverlap(a, [[{ reasonId: 9, probability: 1 }], b]) - 0.5) < 1e-9);
  });
  test('0 with nothing in common or nothing predicted', () => {
    assert.equal(reasonOverlap(a, [[{ reasonId: 7, probability: 0.9 }]]), 0);
    assert.equal(reasonOverlap([], [a]), 0);
    assert.equal(reasonOverlap(a, []), 0);
  });
});

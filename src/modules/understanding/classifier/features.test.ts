import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  DEFAULT_FEATURES,
  FeatureTable,
  forEachCounted,
  hashString,
  normalizeText,
  rawFeatures,
  tokenize,
  vectorize,
} from './features.js';

describe('normalisation and tokens', () => {
  test('lower case, entities decoded, numbers and currency folded', () => {
    assert.equal(normalizeText('Tom &amp; Jerry').trim(), 'tom & jerry');
    assert.deepEqual(tokenize('I paid £25 TWICE!'), ['i', 'paid', 'xcur', '00', 'twice', '!']);
    assert.deepEqual(tokenize('€1.5 vs 2,5'), ['xcur', '0', '0', 'vs', '0', '0']);
    assert.deepEqual(tokenize('card 4111222233334444'), ['card', 'xnum']);
    assert.deepEqual(tokenize('Why hasn’t it arrived?'), ['why', "hasn't", 'it', 'arrived', '?']);
  });

  test('URLs and e-mail addresses become placeholders', () => {
    assert.deepEqual(tokenize('see https://x.example/a?b=1 or mail me@x.org'), [
      'see',
      'xurl',
      'or',
      'mail',
      'xemail',
    ]);
  });
});

describe('hashed features', () => {
  test('a hash depends on the seed and the range only', () => {
    assert.equal(hashString('card', 1), hashString('my card', 1, 3));
    assert.notEqual(hashString('card', 1), hashString('card', 2));
  });

  test('word uni/bi-grams and char 2-5 grams within word boundaries, sorted with repeats adjacent', () => {
    const raw = rawFeatures('ab ab', { ...DEFAULT_FEATURES, charMin: 2, charMax: 3 });
    // words: 2 unigrams + 3 bigrams (<s> ab, ab ab, ab </s>); chars of " ab ": 3 bigrams + 2 trigrams, twice
    assert.equal(raw.word.length, 5);
    assert.equal(raw.char.length, 10);
    const counts: number[] = [];
    forEachCounted(raw.char, (_, c) => counts.push(c));
    assert.deepEqual(counts, [2, 2, 2, 2, 2]);
    assert.deepEqual(
      [...raw.word],
      [...raw.word].sort((a, b) => a - b),
    );
  });

  test('the feature table finds every hash it was built from and no other', () => {
    const hashes = Int32Array.from({ length: 1000 }, (_, i) => hashString(`f${i}`, 0));
    const table = new FeatureTable(hashes);
    for (const [i, h] of hashes.entries()) assert.equal(table.get(h), i);
    assert.equal(table.get(hashString('absent', 0)), -1);
  });

  test('vectorize: sublinear tf times idf, each block L2-normalised, unknown features dropped', () => {
    const raw = { word: Int32Array.from([5, 5, 9]), char: Int32Array.from([7, 8]) };
    const table = new FeatureTable(Int32Array.from([5, 7, 9]));
    const idf = Float32Array.from([1, 2, 3]);
    const row = vectorize(raw, table, idf, 0.5);
    assert.deepEqual([...row.index], [0, 2, 1]);
    const w5 = 1 + Math.log(2);
    const norm = Math.hypot(w5, 3);
    assert.ok(Math.abs(row.value[0]! - w5 / norm) < 1e-6);
    assert.ok(Math.abs(row.value[1]! - 3 / norm) < 1e-6);
    assert.ok(Math.abs(row.value[2]! - 0.5) < 1e-6); // the only known char feature, scaled by charWeight
  });
});

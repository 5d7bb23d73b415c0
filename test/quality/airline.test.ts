/**
 * Quality on the Twitter US airline tweets (CC BY-NC-SA: a test fixture only, no model trained on it ships):
 * complaint reason of negative tweets and 3-class sentiment, one stratified fold with fixed seeds, failing
 * below the targets minus 3 points.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { belowTargetYet, evaluateFold, pct, skipUnlessData } from './quality-data.js';

const FILE = 'airline-sentiment/train.csv';
const skip = skipUnlessData(FILE);

describe('airline tweets quality (fold 0 of 5, seed 1)', { skip }, () => {
  test('complaint reason (10 classes, negative tweets): accuracy ≥ 63 %', {
    todo: belowTargetYet('61.0 %', FILE),
  }, () => {
    const r = evaluateFold(
      FILE,
      {
        text: 'text',
        label: 'negativereason',
        filters: [{ column: 'airline_sentiment', value: 'negative', negate: false }],
      },
      { seeds: [1] },
    );
    console.log(`airline reason: accuracy ${pct(r.accuracy)}, ECE ${r.ece.toFixed(4)}`);
    assert.ok(r.accuracy >= 0.63, `accuracy ${pct(r.accuracy)} < 63 %`);
  });

  test('sentiment (negative, neutral, positive): accuracy ≥ 81 %', () => {
    const r = evaluateFold(FILE, { text: 'text', label: 'airline_sentiment' }, { seeds: [1] });
    console.log(`airline sentiment: accuracy ${pct(r.accuracy)}, ECE ${r.ece.toFixed(4)}`);
    assert.ok(r.accuracy >= 0.81, `accuracy ${pct(r.accuracy)} < 81 %`);
  });
});

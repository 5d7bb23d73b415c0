import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { accuracy, macroF1, perClass } from './metrics.js';
import { pickClasses, samplePerClass, stratifiedFolds, stratifiedHoldout } from './split.js';

const labels = [...'aaaaaaaaaabbbbbbcccc'];

describe('stratified splits', () => {
  test('folds: every fold gets its share of every class, same seed same folds', () => {
    const folds = stratifiedFolds(labels, 2, 3);
    for (const c of 'abc') {
      const inFold0 = labels.filter((l, i) => l === c && folds[i] === 0).length;
      const total = labels.filter((l) => l === c).length;
      assert.ok(Math.abs(inFold0 - total / 2) <= 1, `${c}: ${inFold0} of ${total}`);
    }
    assert.deepEqual(stratifiedFolds(labels, 2, 3), folds);
    assert.throws(() => stratifiedFolds(labels, 1, 3), /folds must be an integer ≥ 2/);
  });

  test('holdout: about the share of each class, small classes stay in training', () => {
    const { held, rest } = stratifiedHoldout([...labels, 'd', 'd'], 0.25, 1);
    const heldLabels = held.map((i) => [...labels, 'd', 'd'][i]);
    assert.equal(heldLabels.filter((l) => l === 'a').length, 3);
    assert.equal(heldLabels.filter((l) => l === 'd').length, 0);
    assert.equal(held.length + rest.length, labels.length + 2);
  });

  test('per class: at most n of each; classes picked are distinct and reproducible', () => {
    const picked = samplePerClass(labels, 5, 1).map((i) => labels[i]);
    assert.deepEqual(
      ['a', 'b', 'c'].map((c) => picked.filter((l) => l === c).length),
      [5, 5, 4],
    );
    assert.deepEqual(pickClasses(labels, 2, 4), pickClasses(labels, 2, 4));
    assert.equal(new Set(pickClasses(labels, 2, 4)).size, 2);
    assert.throws(() => pickClasses(labels, 3, 1), /cannot hold out 3 of 3/);
  });
});

describe('metrics', () => {
  test('accuracy, per-class recall/precision and macro-F1 on hand-computed numbers', () => {
    const truths = ['a', 'a', 'a', 'b'];
    const predicted = ['a', 'a', 'b', 'b'];
    assert.equal(accuracy(predicted, truths), 0.75);
    const [a, b] = perClass(predicted, truths);
    assert.deepEqual([a!.recall, a!.precision, b!.recall, b!.precision], [2 / 3, 1, 1, 0.5]);
    // F1(a) = 0.8, F1(b) = 2/3
    assert.ok(Math.abs(macroF1(predicted, truths) - (0.8 + 2 / 3) / 2) < 1e-12);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  expectedCalibrationError,
  fitTemperature,
  meanNll,
  reliabilityTable,
  thresholdForPassRate,
} from './calibration.js';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);

describe('reliability table and ECE', () => {
  test('hand-computed: two bins with known gaps', () => {
    const predictions = [
      { label: 'a', confidence: 0.95 },
      { label: 'a', confidence: 0.85 },
      { label: 'b', confidence: 0.9 },
      { label: 'b', confidence: 0.3 },
    ];
    const truths = ['a', 'b', 'b', 'b'];
    const table = reliabilityTable(predictions, truths, 2);
    assert.equal(table[0]!.count, 1);
    close(table[0]!.confidence, 0.3);
    close(table[0]!.accuracy, 1);
    assert.equal(table[1]!.count, 3);
    close(table[1]!.confidence, 0.9);
    close(table[1]!.accuracy, 2 / 3);
    // ECE = 1/4 · |1 - 0.3| + 3/4 · |2/3 - 0.9| = 0.175 + 0.175
    close(expectedCalibrationError(table), 0.35);
  });

  test('confidence 1 lands in the last bin; empty bins are NaN and weigh nothing', () => {
    const table = reliabilityTable([{ label: 'x', confidence: 1 }], ['x'], 10);
    assert.equal(table[9]!.count, 1);
    assert.ok(Number.isNaN(table[0]!.accuracy));
    close(expectedCalibrationError(table), 0);
  });

  test('perfectly calibrated predictions have no error', () => {
    const preds = Array.from({ length: 8 }, () => ({ label: 'a', confidence: 0.75 }));
    const truths = ['a', 'a', 'b', 'a', 'a', 'a', 'b', 'a']; // 6 of 8 right: 75 %
    close(expectedCalibrationError(reliabilityTable(preds, truths, 10)), 0);
  });

  test('mismatched lengths and bad bins are refused', () => {
    assert.throws(
      () => reliabilityTable([{ label: 'a', confidence: 0.5 }], []),
      /1 predictions but 0 truths/,
    );
    assert.throws(() => reliabilityTable([], [], 0), /bins must be ≥ 1/);
  });
});

describe('temperature scaling', () => {
  test('recovers the temperature of labels drawn from softmax(z / T)', () => {
    // Two classes, logit gap 4; at T = 2 the right class has p = 1 / (1 + e^-2) ≈ 0.881.
    const p = 1 / (1 + Math.exp(-2));
    const n = 1000;
    const right = Math.round(n * p);
    const logits = Array.from({ length: n }, () => Float64Array.from([4, 0]));
    const labels = Int32Array.from({ length: n }, (_, i) => (i < right ? 0 : 1));
    const T = fitTemperature(logits, labels);
    assert.ok(Math.abs(T - 2) < 0.02, `T = ${T}`);
    assert.ok(meanNll(logits, labels, T) <= meanNll(logits, labels, 1));
  });

  test('nothing to fit on: 1', () => {
    assert.equal(fitTemperature([], []), 1);
  });
});

describe('out-of-scope threshold', () => {
  test('the lower quantile that lets the pass rate through', () => {
    const conf = [0.9, 0.1, 0.5, 0.7, 0.3];
    close(thresholdForPassRate(conf, 1), 0);
    close(thresholdForPassRate(conf, 0.75), 0.3);
    close(thresholdForPassRate(conf, 0.5), 0.5);
    const passing = conf.filter((c) => c >= thresholdForPassRate(conf, 0.6)).length;
    assert.equal(passing, 3);
    assert.throws(() => thresholdForPassRate(conf, 1.5), /passRate/);
  });
});

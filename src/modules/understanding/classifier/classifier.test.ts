import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Example, predict, predictBatch, probabilities, trainClassifier } from './classifier.js';
import { deserializeModel, serializeModel } from './model.js';

const topics: Record<string, string[]> = {
  card: ['card', 'debit card', 'new card', 'plastic card', 'card pin'],
  transfer: ['transfer', 'bank transfer', 'wire', 'send money', 'payment to a friend'],
  refund: ['refund', 'money back', 'return', 'reimbursement', 'chargeback'],
};
const templates = [
  'my {} is not working',
  'where is my {}',
  'I have a problem with the {}',
  'help with {} please',
  'question about {} today',
  'the {} failed again',
];

function dataset(): Example[] {
  const out: Example[] = [];
  for (const [label, words] of Object.entries(topics)) {
    for (const w of words) for (const t of templates) out.push({ text: t.replace('{}', w), label });
  }
  return out;
}

describe('trainClassifier and predict', () => {
  const examples = dataset();
  const model = trainClassifier(examples, { seed: 7 });

  test('learns a tiny separable dataset', () => {
    for (const e of examples) assert.equal(predict(model, e.text).ranked[0]!.label, e.label, e.text);
    assert.equal(predict(model, 'I want my money back').ranked[0]!.label, 'refund');
    assert.equal(predict(model, 'send money to my friend').ranked[0]!.label, 'transfer');
  });

  test('probabilities are a distribution; ranked is sorted and cut at top', () => {
    const p = probabilities(model, 'new card please');
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    const prediction = predict(model, 'new card please', { top: 2 });
    assert.equal(prediction.ranked.length, 2);
    assert.ok(prediction.ranked[0]!.probability >= prediction.ranked[1]!.probability);
    assert.equal(prediction.confidence, prediction.ranked[0]!.probability);
    assert.deepEqual(
      predictBatch(model, ['new card please', 'refund']).map((x) => x.ranked[0]!.label),
      ['card', 'refund'],
    );
  });

  test('deterministic for a seed; another seed trains another model', () => {
    const again = trainClassifier(examples, { seed: 7 });
    assert.deepEqual(again.weights, model.weights);
    assert.equal(again.temperature, model.temperature);
    assert.equal(again.oosThreshold, model.oosThreshold);
    const other = trainClassifier(examples, { seed: 8 });
    assert.notDeepEqual(other.weights, model.weights);
  });

  test('out of scope: below the threshold, and the threshold can be overridden', () => {
    assert.ok(model.oosThreshold > 0 && model.oosThreshold < 1);
    const known = predict(model, 'where is my card');
    assert.equal(known.outOfScope, known.confidence < model.oosThreshold);
    assert.equal(predict(model, 'where is my card', { oosThreshold: 1.01 }).outOfScope, true);
    assert.equal(predict(model, 'where is my card', { oosThreshold: 0 }).outOfScope, false);
    // a text with no known word or n-gram is out of scope whatever the threshold
    const gibberish = predict(model, 'ÿÿÿ ÿÿÿ', { oosThreshold: 0 });
    assert.equal(gibberish.outOfScope, true);
    assert.ok(gibberish.confidence < known.confidence);
  });

  test('the model survives JSON (base64 arrays) and predicts the same', () => {
    const json = JSON.stringify(serializeModel(model));
    const back = deserializeModel(JSON.parse(json));
    assert.deepEqual(predict(back, 'card pin failed'), predict(model, 'card pin failed'));
    assert.throws(() => deserializeModel({ ...JSON.parse(json), version: 99 }), /version 99/);
    assert.throws(() => deserializeModel({ ...JSON.parse(json), labels: ['a'] }), /do not match/);
  });

  test('dense features are appended, standardised and required at prediction', () => {
    const withDense = examples.map((e) => ({ ...e, dense: [e.label === 'refund' ? 1 : 0, e.text.length] }));
    const m = trainClassifier(withDense, { seed: 1 });
    assert.equal(m.dense?.dim, 2);
    assert.equal(predict(m, { text: 'money back', dense: [1, 10] }).ranked[0]!.label, 'refund');
    assert.throws(() => predict(m, 'money back'), /expects 2 dense features/);
  });

  test('needs two labels', () => {
    assert.throws(() => trainClassifier([{ text: 'a', label: 'x' }]), /at least 2 labels/);
  });
});

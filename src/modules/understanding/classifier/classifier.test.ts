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

  test('self-training: a word seen only in unlabelled texts, beside a class’s words, is learned for it', () => {
    const unlabelled = [
      'my debit card and my zorblat are lost',
      'zorblat and new card not working',
      'where is my card pin and the zorblat',
      'the zorblat and the plastic card failed again',
    ];
    const alone = trainClassifier(examples, { seed: 7 });
    assert.equal(alone.pseudoLabelled, 0);
    assert.equal(predict(alone, 'zorblat').outOfScope, true, 'nothing known about it');
    const self = trainClassifier(examples, { seed: 7, unlabelled });
    assert.ok((self.pseudoLabelled ?? 0) > 0 && (self.pseudoLabelled ?? 0) <= unlabelled.length);
    const p = predict(self, 'zorblat');
    assert.equal(p.ranked[0]!.label, 'card');
    assert.ok(p.ranked[0]!.probability > 0.5, `p ${p.ranked[0]!.probability}`);
    const again = trainClassifier(examples, { seed: 7, unlabelled });
    assert.deepEqual(again.weights, self.weights, 'deterministic for a seed');
    const off = trainClassifier(examples, { seed: 7, unlabelled, selfTraining: { shares: [] } });
    assert.equal(off.pseudoLabelled, 0);
    assert.deepEqual(off.weights, alone.weights);
  });

  test('texts describing a label are examples of it, and never of a label nobody used', () => {
    const m = trainClassifier(examples, {
      seed: 7,
      labelTexts: [
        { label: 'refund', text: 'Reimbursed: compensation owed' },
        { label: 'unknown label', text: 'quokka' },
      ],
    });
    assert.equal(m.described, 1);
    assert.deepEqual(m.labels, ['card', 'refund', 'transfer']);
    assert.equal(predict(m, 'compensation').ranked[0]!.label, 'refund');
    assert.equal(predict(m, 'quokka').outOfScope, true);
  });

  test('texts labelled out of scope are learned as "none of these", never ranked', () => {
    const unrelated = [
      'weather forecast for tomorrow',
      'recipe for apple pie',
      'who won the football game',
      'tell me a joke',
      'how tall is the eiffel tower',
      'play some music',
      'what is the weather like',
      'best pie recipe',
      'football results today',
      'a funny joke please',
      'music for the weekend',
      'how old is the tower',
    ];
    const withOos = [...examples, ...unrelated.map((text) => ({ text, label: '(none)' }))];
    const m = trainClassifier(withOos, { seed: 7, outOfScopeLabel: '(none)' });
    assert.equal(m.outOfScopeLabel, '(none)');
    assert.ok(m.labels.includes('(none)'));
    const p = predict(m, 'weather and music tonight', { oosThreshold: 0 });
    assert.equal(p.outOfScope, true, 'most like the out-of-scope texts, whatever the threshold');
    assert.ok(!p.ranked.some((r) => r.label === '(none)'), 'the class is never a suggestion');
    assert.equal(p.ranked.length, 3);
    assert.equal(predict(m, 'where is my debit card', { oosThreshold: 0 }).outOfScope, false);
    assert.equal(predict(m, 'where is my debit card').ranked[0]!.label, 'card');
    // The threshold is fitted on in-scope texts only, at the higher default pass rate.
    assert.equal(m.validation.passRate, 0.99);
    // Without the option the same texts are a class like any other.
    const plain = trainClassifier(withOos, { seed: 7 });
    assert.equal(plain.outOfScopeLabel, undefined);
    assert.equal(predict(plain, 'weather and music tonight', { oosThreshold: 0 }).ranked[0]!.label, '(none)');
  });

  test('needs two labels', () => {
    assert.throws(() => trainClassifier([{ text: 'a', label: 'x' }]), /at least 2 labels/);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Labelled } from './data.js';
import { type EvalPlan, labelNameTexts, runEvaluation } from './run.js';

const words: Record<string, string[]> = {
  card_lost: ['card', 'debit card', 'bank card', 'plastic card'],
  refund_missing: ['refund', 'money back', 'reimbursement', 'return money'],
  address_change: ['address', 'home address', 'postal address', 'where I live'],
};
const frames = [
  'my {} please',
  'help with the {}',
  'question about {}',
  'the {} is wrong',
  'about my {} today',
];
const data: Labelled[] = Object.entries(words).flatMap(([label, ws]) =>
  ws.flatMap((w) => frames.map((f) => ({ text: f.replace('{}', w), label }))),
);

describe('runEvaluation', () => {
  test('per class: the training texts left out are learned from unlabelled, unless told not to', () => {
    const plan: EvalPlan = { data: { cv: data, folds: 2, fold: 0 }, seeds: [1], perClass: 2 };
    const rest = runEvaluation(plan);
    assert.equal(rest.trainExamples, 6);
    assert.ok(rest.pseudoLabelled > 0, `pseudo-labelled ${rest.pseudoLabelled}`);
    const none = runEvaluation({ ...plan, unlabelled: 'none' });
    assert.equal(none.pseudoLabelled, 0);
    const given = runEvaluation({ ...plan, unlabelled: ['my card please', 'my refund please'] });
    assert.ok(given.pseudoLabelled > 0 && given.pseudoLabelled <= 2);
    // All labelled: nothing is left to learn from without labels.
    const { perClass: _, ...allLabelled } = plan;
    assert.equal(runEvaluation(allLabelled).pseudoLabelled, 0);
  });

  test('--oos-label: those training texts are learned as "none of these" (or dropped), the test ones expected so', () => {
    const off = [
      'weather tomorrow',
      'a pie recipe',
      'football scores',
      'tell me a joke',
      'play music',
      'weather this weekend',
      'apple pie recipe',
      'football tonight',
      'another joke',
      'music please',
    ].map((text) => ({ text, label: 'oos' }));
    const plan: EvalPlan = {
      data: { cv: [...data, ...off], folds: 2, fold: 0 },
      seeds: [1],
      oosLabel: 'oos',
    };
    const learned = runEvaluation(plan);
    assert.equal(learned.oosTrained, 5);
    assert.equal(learned.outOfScopeTexts, 5);
    const dropped = runEvaluation({ ...plan, oosTrain: false });
    assert.equal(dropped.oosTrained, 0);
    assert.ok(
      (learned.outOfScopeRecall ?? 0) >= (dropped.outOfScopeRecall ?? 0),
      `${learned.outOfScopeRecall} vs ${dropped.outOfScopeRecall}`,
    );
    assert.equal(learned.outOfScopeRecall, 1);
  });

  test('--lexicon: VADER’s scores as features, alone or beside the words; its zero-shot accuracy beside', () => {
    const say: Record<string, string[]> = {
      positive: ['I love it', 'great service, thank you', 'wonderful crew', 'amazing flight', 'so happy'],
      negative: ['I hate this', 'terrible service', 'awful crew', 'horrible flight', 'so angry'],
      neutral: ['the flight is at 5', 'my seat is 12A', 'we land in Boston', 'gate 4', 'flying on Monday'],
    };
    const sentiments: Labelled[] = Object.entries(say).flatMap(([label, texts]) =>
      texts.flatMap((t) => [t, `${t} today`].map((text) => ({ text, label }))),
    );
    const plan: EvalPlan = { data: { cv: sentiments, folds: 2, fold: 0 }, seeds: [1] };
    assert.equal(runEvaluation(plan).lexiconZeroShot, undefined);
    const only = runEvaluation({ ...plan, lexicon: 'only' });
    assert.ok((only.lexiconZeroShot ?? 0) >= 0.6, `zero-shot ${only.lexiconZeroShot}`);
    assert.ok(only.accuracy >= 0.6, `lexicon features alone ${only.accuracy}`);
    assert.equal(only.inScopeFlagged < 1, true, 'a model of lexicon features alone knows every text');
    const on = runEvaluation({ ...plan, lexicon: 'on' });
    assert.ok(on.accuracy >= 0.6, `with words ${on.accuracy}`);
    // Other labels than sentiment ones: no zero-shot figure.
    assert.equal(
      runEvaluation({ ...plan, data: { cv: data, folds: 2, fold: 0 }, lexicon: 'on' }).lexiconZeroShot,
      undefined,
    );
  });

  test('a label’s name is a text describing it', () => {
    assert.deepEqual(labelNameTexts(data.slice(0, 1)), [{ label: 'card_lost', text: 'card lost' }]);
    assert.deepEqual(labelNameTexts([{ text: 'x', label: 'Late-Flight' }]), [
      { label: 'Late-Flight', text: 'Late Flight' },
    ]);
  });
});

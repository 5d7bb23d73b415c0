/**
 * Quality of the contact-reason classifier on Banking77 (77 intents): one stratified fold with fixed seeds,
 * failing below the targets minus 3 points. Run once per CI run (the `quality` pass of npm test).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { belowTargetYet, evaluateFold, pct, skipUnlessData } from './quality-data.js';

const FILE = 'banking77/train.csv';
const columns = { text: 'text', label: 'category' };
const skip = skipUnlessData(FILE);

/** The 10 intents held out as out of scope (picked once by `pickClasses(labels, 10, 1)`, then fixed). */
export const OOS_INTENTS = [
  'card_delivery_estimate',
  'card_payment_wrong_exchange_rate',
  'declined_transfer',
  'edit_personal_details',
  'extra_charge_on_statement',
  'failed_transfer',
  'getting_virtual_card',
  'lost_or_stolen_card',
  'pending_transfer',
  'transaction_charged_twice',
];

describe('Banking77 quality (fold 0 of 5, seed 1)', { skip }, () => {
  test('all labelled data: accuracy ≥ 90 % and calibration error ≤ 0.05', () => {
    const r = evaluateFold(FILE, columns, { seeds: [1] });
    console.log(`banking77: accuracy ${pct(r.accuracy)}, ECE ${r.ece.toFixed(4)}`);
    assert.ok(r.accuracy >= 0.9, `accuracy ${pct(r.accuracy)} < 90 %`);
    assert.ok(r.ece <= 0.05, `ECE ${r.ece.toFixed(4)} > 0.05`);
  });

  test('10 labelled examples per intent: accuracy ≥ 77 %', { todo: belowTargetYet('74.2 %', FILE) }, () => {
    const r = evaluateFold(FILE, columns, { seeds: [1], perClass: 10 });
    console.log(`banking77 10-shot: accuracy ${pct(r.accuracy)}`);
    assert.ok(r.accuracy >= 0.77, `accuracy ${pct(r.accuracy)} < 77 %`);
  });

  test('10 intents out of scope: in-scope accuracy ≥ 87 % and out-of-scope recall ≥ 82 %', {
    todo: belowTargetYet('in-scope 89.7 %, recall 38.1 %', FILE),
  }, () => {
    const r = evaluateFold(FILE, columns, { seeds: [1], holdoutClasses: OOS_INTENTS });
    console.log(
      `banking77 out of scope: in-scope ${pct(r.inScopeAccuracy)}, recall ${pct(r.outOfScopeRecall)}`,
    );
    assert.ok(r.inScopeAccuracy! >= 0.87, `in-scope accuracy ${pct(r.inScopeAccuracy)} < 87 %`);
    assert.ok(r.outOfScopeRecall! >= 0.82, `out-of-scope recall ${pct(r.outOfScopeRecall)} < 82 %`);
  });
});

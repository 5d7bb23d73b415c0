import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseEvalArgs, UsageError } from './args.js';
import { parseLabelledCsv } from './data.js';

const fails = (argv: string[], message: RegExp) =>
  assert.throws(
    () => parseEvalArgs(argv),
    (err: unknown) => err instanceof UsageError && message.test(err.message) && /usage:/.test(err.message),
  );

describe('eval:understanding arguments', () => {
  test('train/test and cross-validation forms with their defaults', () => {
    const a = parseEvalArgs(['--train', 'a.csv', '--test', 'b.csv', '--label', 'category']);
    assert.equal(a.train, 'a.csv');
    assert.equal(a.text, 'text');
    assert.deepEqual(a.seeds, [1]);
    assert.equal(a.json, false);
    assert.equal(a.namesOnly, false);
    assert.equal(parseEvalArgs(['--cv', 'd.csv', '--label', 'c', '--names-only']).namesOnly, true);
    const b = parseEvalArgs([
      '--cv=d.csv',
      '--folds',
      '5',
      '--fold',
      '0',
      '--label',
      'l',
      '--seeds',
      '1,2,3',
      '--filter',
      'airline_sentiment=negative',
      '--filter=x!=y',
      '--oos-holdout',
      '10',
      '--per-class',
      '10',
      '--json',
    ]);
    assert.equal(b.cv, 'd.csv');
    assert.equal(b.fold, 0);
    assert.deepEqual(b.seeds, [1, 2, 3]);
    assert.deepEqual(b.filters, [
      { column: 'airline_sentiment', value: 'negative', negate: false },
      { column: 'x', value: 'y', negate: true },
    ]);
    assert.equal(b.oosHoldout, 10);
    assert.equal(b.perClass, 10);
    assert.equal(b.json, true);
    assert.deepEqual(parseEvalArgs(['--cv', 'd', '--label', 'l', '--options', '{"minDf":1}']).options, {
      minDf: 1,
    });
    assert.deepEqual(
      parseEvalArgs(['--cv', 'd', '--label', 'l', '--holdout-classes', 'a, b']).holdoutClasses,
      ['a', 'b'],
    );
  });

  test('mistakes get a message naming the fix, and the usage', () => {
    fails([], /no data: give --train and --test, or --cv/);
    fails(['--train', 'a.csv', '--label', 'l'], /--test is missing/);
    fails(['--cv', 'a', '--train', 'b', '--test', 'c', '--label', 'l'], /not both/);
    fails(['--cv', 'a.csv'], /--label COL is required/);
    fails(['--cv', 'a', '--label', 'l', '--folds', '1'], /--folds needs an integer ≥ 2, got "1"/);
    fails(['--cv', 'a', '--label', 'l', '--fold', '5'], /--fold 5 is out of range 0..4/);
    fails(['--train', 'a', '--test', 'b', '--label', 'l', '--fold', '1'], /need --cv/);
    fails(['--cv', 'a', '--label', 'l', '--per-class', 'ten'], /--per-class needs an integer/);
    fails(['--cv', 'a', '--label', 'l', '--filter', 'nocolumn'], /COL=VALUE/);
    fails(['--cv', 'a', '--label', 'l', '--bogus', '1'], /unknown option --bogus/);
    fails(['--cv', 'a', '--label'], /--label needs a value/);
    fails(['--cv', 'a', '--label', 'l', '--seed', '1', '--seeds', '1,2'], /--seed or --seeds/);
    fails(['--cv', 'a', '--label', 'l', '--oos-holdout', '2', '--holdout-classes', 'x'], /not both/);
    fails(['--cv', 'a', '--label', 'l', '--pass-rate', '2'], /--pass-rate needs a number in \(0, 1\]/);
    fails(['stray'], /unexpected argument "stray"/);
    fails(['--cv', 'a', '--label', 'l', '--options', '[1]'], /--options needs a JSON object/);
    fails(['--cv', 'a', '--label', 'l', '--options', '{bad'], /--options needs a JSON object/);
  });
});

describe('labelled CSV', () => {
  const csv = 'id,text,label,kind\n1,"hello\nthere",greet,a\n2,bye,leave,b\n3,,greet,a\n4,x,,a\n';

  test('quoted newlines, rows without text or label dropped and counted, filters', () => {
    const all = parseLabelledCsv(csv, { text: 'text', label: 'label' });
    assert.deepEqual(all.examples, [
      { text: 'hello\nthere', label: 'greet' },
      { text: 'bye', label: 'leave' },
    ]);
    assert.deepEqual(all.dropped, { filtered: 0, noLabel: 1, noText: 1 });
    const onlyB = parseLabelledCsv(csv, {
      text: 'text',
      label: 'label',
      filters: [{ column: 'kind', value: 'b', negate: false }],
    });
    assert.deepEqual(onlyB.examples, [{ text: 'bye', label: 'leave' }]);
  });

  test('a missing column names the columns there are', () => {
    assert.throws(
      () => parseLabelledCsv(csv, { text: 'body', label: 'label' }, 'f.csv'),
      /f.csv: no column "body"; the columns are "id", "text", "label", "kind"/,
    );
    assert.throws(() => parseLabelledCsv('text,label\n', { text: 'text', label: 'label' }), /no data rows/);
  });
  test('unlabelled texts and label names', () => {
    const base = ['--cv', 'd.csv', '--label', 'l'];
    const d = parseEvalArgs(base);
    assert.equal(d.unlabelled, 'rest');
    assert.equal(d.labelNames, true);
    assert.equal(parseEvalArgs([...base, '--unlabelled', 'none']).unlabelled, 'none');
    assert.deepEqual(parseEvalArgs([...base, '--unlabelled=more.csv']).unlabelled, { file: 'more.csv' });
    assert.equal(parseEvalArgs([...base, '--label-names', 'off']).labelNames, false);
    assert.equal(d.oosTrain, true);
    assert.equal(parseEvalArgs([...base, '--oos-train', 'off']).oosTrain, false);
    assert.equal(d.lexicon, 'off');
    assert.equal(parseEvalArgs([...base, '--lexicon', 'only']).lexicon, 'only');
    fails([...base, '--lexicon', 'yes'], /--lexicon needs off, on or only/);
    fails([...base, '--label-names', 'maybe'], /--label-names needs on or off/);
    fails([...base, '--unlabelled', ' '], /--unlabelled needs rest, none or a CSV file/);
  });
});

/**
 * Evaluates Steward's contact-reason classifier on labelled CSV data (any CSV with a header row):
 *
 *   npm run eval:understanding -- --train train.csv --test test.csv --text text --label category
 *   npm run eval:understanding -- --cv data.csv --folds 5 --seed 1 --label category
 *   npm run eval:understanding -- --cv data.csv --label category --per-class 10          # few-shot
 *     (the training texts left out stay in as unlabelled texts, learned from by self-training;
 *      --unlabelled none leaves them out, --unlabelled FILE reads unlabelled texts from another CSV)
 *   npm run eval:understanding -- --cv data.csv --label category --oos-holdout 10 --seeds 1,2,3,4,5
 *   npm run eval:understanding -- --cv tweets.csv --label negativereason --filter airline_sentiment=negative
 *   npm run eval:understanding -- --cv data.csv --label category --names-only   # no labels: names alone
 *
 * It trains through trainClassifier and predicts through predictBatch, the functions the product uses, and
 * prints accuracy, macro-F1, per-class recall, out-of-scope figures when out-of-scope texts are labelled,
 * the calibration error with its reliability table, training time and predictions per second (--json: the
 * same as JSON).
 */
import {
  type EvalArgs,
  type EvalPlan,
  evaluateNames,
  formatReport,
  loadLabelledCsv,
  loadTextsCsv,
  parseEvalArgs,
  runEvaluation,
  UsageError,
} from '../src/modules/understanding/index.js';

function main(argv: string[]): void {
  let args: EvalArgs;
  try {
    args = parseEvalArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`eval:understanding: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
  const selection = { text: args.text, label: args.label, filters: args.filters };
  const load = (file: string) => loadLabelledCsv(file, selection).examples;
  if (args.namesOnly) {
    // Nothing to train: every text of the file (or of the test file) against the labels' names.
    const texts = load(args.cv ?? args.test!);
    const names = evaluateNames(texts);
    const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
    process.stdout.write(
      args.json
        ? `${JSON.stringify({ args, names }, null, 2)}\n`
        : [
            `${args.label} from ${args.text}: ${args.cv ?? args.test}, the labels' names alone (no training)`,
            `texts ${names.texts}, labels ${names.labels}`,
            `right reason first           ${pct(names.top1)}`,
            `right reason in the top 3    ${pct(names.top3)}  (chance ${pct(Math.min(1, 3 / names.labels))})`,
            `nothing suggested            ${pct(names.none)}`,
            '',
          ].join('\n'),
    );
    return;
  }
  const data = args.cv
    ? { cv: load(args.cv), folds: args.folds, ...(args.fold === undefined ? {} : { fold: args.fold }) }
    : { train: load(args.train!), test: load(args.test!) };
  const report = runEvaluation({
    data,
    seeds: args.seeds,
    ...(args.oosLabel === undefined ? {} : { oosLabel: args.oosLabel }),
    ...(args.holdoutClasses ? { holdoutClasses: args.holdoutClasses } : {}),
    ...(args.oosHoldout ? { oosHoldout: args.oosHoldout } : {}),
    ...(args.perClass ? { perClass: args.perClass } : {}),
    ...(args.passRate === undefined ? {} : { passRate: args.passRate }),
    unlabelled:
      typeof args.unlabelled === 'string' ? args.unlabelled : loadTextsCsv(args.unlabelled.file, args.text),
    labelNames: args.labelNames,
    oosTrain: args.oosTrain,
    lexicon: args.lexicon,
    bins: args.bins,
    ...(args.options ? { train: args.options as EvalPlan['train'] } : {}),
  });
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ args, report }, null, 2)}\n`);
  } else {
    const source = args.cv
      ? `${args.cv}, ${args.fold === undefined ? `${args.folds}-fold` : `fold ${args.fold} of ${args.folds}`} cross-validation`
      : `train ${args.train}, test ${args.test}`;
    const extras = [
      args.perClass ? `${args.perClass} per class` : '',
      ...args.filters.map((f) => `${f.column}${f.negate ? '!=' : '='}${f.value}`),
    ].filter(Boolean);
    process.stdout.write(
      formatReport(
        report,
        `${args.label} from ${args.text}: ${source}${extras.length ? ` (${extras.join(', ')})` : ''}`,
      ),
    );
  }
}

try {
  main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`eval:understanding: ${(err as Error).message}\n`);
  process.exitCode = 1;
}

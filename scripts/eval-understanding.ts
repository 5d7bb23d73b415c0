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
 *
 * It trains through trainClassifier and predicts through predictBatch, the functions the product uses, and
 * prints accuracy, macro-F1, per-class recall, out-of-scope figures when out-of-scope texts are labelled,
 * the calibration error with its reliability table, training time and predictions per second (--json: the
 * same as JSON).
 */
import {
  type EvalArgs,
  type EvalPlan,
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

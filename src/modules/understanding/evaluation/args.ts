/** The command line of `npm run eval:understanding`, parsed and checked with messages that say what to fix. */

export type EvalArgs = {
  /** Either a train and a test file, or one file cross-validated. */
  train?: string;
  test?: string;
  cv?: string;
  folds: number;
  /** Only this fold (0-based) of the cross-validation. */
  fold?: number;
  text: string;
  label: string;
  /** Texts with this label are out of scope: expected "none of these" in the test; learned as a class in training (--oos-train). */
  oosLabel?: string;
  perClass?: number;
  holdoutClasses?: string[];
  /** Hold this many whole classes (picked by the seed) out of training as out of scope. */
  oosHoldout?: number;
  seeds: number[];
  filters: { column: string; value: string; negate: boolean }[];
  passRate?: number;
  bins: number;
  json: boolean;
  /** No training: rank each text against the labels' names alone (what a workspace without labels gets). */
  namesOnly: boolean;
  /** Training options as JSON (see TrainOptions), for tuning experiments. */
  options?: Record<string, unknown>;
  /**
   * Texts learned from without their labels (self-training): 'rest' (default) the training texts that
   * --per-class left unlabelled, 'none', or a CSV file whose --text column is read (labels ignored).
   */
  unlabelled: 'rest' | 'none' | { file: string };
  /** Each label's own name (underscores and hyphens as spaces) is one example of it, as a reason's name is. */
  labelNames: boolean;
  /** Training texts labelled --oos-label are learned as a "none of these" class (on) or dropped (off). */
  oosTrain: boolean;
  /** VADER's scores as extra features: beside the words (on), alone (only), or not (off). */
  lexicon: 'off' | 'on' | 'only';
};

export const USAGE = `usage: npm run eval:understanding -- (--train FILE --test FILE | --cv FILE [--folds 5] [--fold K])
       --label COL [--text COL] [--oos-label X] [--per-class N]
       [--holdout-classes a,b,c | --oos-holdout N] [--seed S | --seeds 1,2,3] [--filter COL=VALUE]...
       [--unlabelled rest|none|FILE] [--label-names on|off]
       [--oos-train on|off] [--lexicon off|on|only] [--pass-rate 0.95] [--bins 10] [--options JSON] [--json]
       [--names-only]   (no training: the labels' names alone rank each text, top 1 and top 3)`;

export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\n${USAGE}`);
    this.name = 'UsageError';
  }
}

const FLAGS = new Set([
  'train',
  'test',
  'cv',
  'folds',
  'fold',
  'text',
  'label',
  'oos-label',
  'per-class',
  'holdout-classes',
  'oos-holdout',
  'seed',
  'seeds',
  'filter',
  'pass-rate',
  'bins',
  'json',
  'names-only',
  'options',
  'unlabelled',
  'label-names',
  'oos-train',
  'lexicon',
]);

function integer(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^-?\d+$/.test(value) || n < min)
    throw new UsageError(`--${flag} needs an integer ≥ ${min}, got "${value}"`);
  return n;
}

function onOff(flag: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === 'on' || value === 'off') return value === 'on';
  throw new UsageError(`--${flag} needs on or off, got "${value}"`);
}

function lexiconMode(value: string | undefined): EvalArgs['lexicon'] {
  if (value === undefined) return 'off';
  if (value === 'off' || value === 'on' || value === 'only') return value;
  throw new UsageError(`--lexicon needs off, on or only, got "${value}"`);
}

function unlabelledSource(value: string | undefined): EvalArgs['unlabelled'] {
  if (value === undefined || value === 'rest') return 'rest';
  if (value === 'none') return 'none';
  if (value.trim() === '') throw new UsageError('--unlabelled needs rest, none or a CSV file');
  return { file: value };
}

export function parseEvalArgs(argv: string[]): EvalArgs {
  const values = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`unexpected argument "${arg}"`);
    const flag = arg.slice(2).split('=')[0]!;
    if (!FLAGS.has(flag)) throw new UsageError(`unknown option --${flag}`);
    if (flag === 'json' || flag === 'names-only') {
      values.set(flag, ['true']);
      continue;
    }
    let value: string | undefined;
    if (arg.length > flag.length + 2 && arg[flag.length + 2] === '=') value = arg.slice(flag.length + 3);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${flag} needs a value`);
    values.set(flag, [...(values.get(flag) ?? []), value]);
  }
  const one = (flag: string) => {
    const v = values.get(flag);
    if (v && v.length > 1 && flag !== 'filter') throw new UsageError(`--${flag} given more than once`);
    return v?.[0];
  };

  const train = one('train');
  const test = one('test');
  const cv = one('cv');
  if (cv && (train || test))
    throw new UsageError('give either --cv FILE or --train FILE --test FILE, not both');
  if (!cv && !(train && test)) {
    throw new UsageError(
      train || test
        ? `--${train ? 'test' : 'train'} is missing`
        : 'no data: give --train and --test, or --cv',
    );
  }
  const label = one('label');
  if (!label) throw new UsageError('--label COL is required (the column holding the class)');
  const folds = one('folds') ? integer('folds', one('folds')!, 2) : 5;
  const fold = one('fold') === undefined ? undefined : integer('fold', one('fold')!, 0);
  if (fold !== undefined && fold >= folds)
    throw new UsageError(`--fold ${fold} is out of range 0..${folds - 1}`);
  if (!cv && (one('folds') || fold !== undefined)) throw new UsageError('--folds and --fold need --cv');
  if (one('seed') && one('seeds')) throw new UsageError('give --seed or --seeds, not both');
  const seeds = one('seeds')
    ? one('seeds')!
        .split(',')
        .map((s) => integer('seeds', s.trim(), 0))
    : [one('seed') ? integer('seed', one('seed')!, 0) : 1];
  const holdoutClasses = one('holdout-classes')
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const oosHoldout = one('oos-holdout') ? integer('oos-holdout', one('oos-holdout')!, 1) : undefined;
  if (holdoutClasses && oosHoldout) throw new UsageError('give --holdout-classes or --oos-holdout, not both');
  if (holdoutClasses?.length === 0) throw new UsageError('--holdout-classes needs at least one class');
  const filters = (values.get('filter') ?? []).map((f) => {
    const m = /^([^=!]+)(!?=)(.*)$/.exec(f);
    if (!m) throw new UsageError(`--filter needs COL=VALUE or COL!=VALUE, got "${f}"`);
    return { column: m[1]!, value: m[3]!, negate: m[2] === '!=' };
  });
  const passRateText = one('pass-rate');
  const passRate = passRateText === undefined ? undefined : Number(passRateText);
  if (passRate !== undefined && !(passRate > 0 && passRate <= 1)) {
    throw new UsageError(`--pass-rate needs a number in (0, 1], got "${passRateText}"`);
  }
  let options: Record<string, unknown> | undefined;
  const optionsText = one('options');
  if (optionsText !== undefined) {
    try {
      options = JSON.parse(optionsText) as Record<string, unknown>;
    } catch {
      throw new UsageError(`--options needs a JSON object, got "${optionsText}"`);
    }
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      throw new UsageError(`--options needs a JSON object, got "${optionsText}"`);
    }
  }
  return {
    ...(options ? { options } : {}),
    ...(train ? { train } : {}),
    ...(test ? { test } : {}),
    ...(cv ? { cv } : {}),
    folds,
    ...(fold === undefined ? {} : { fold }),
    text: one('text') ?? 'text',
    label,
    ...(one('oos-label') === undefined ? {} : { oosLabel: one('oos-label')! }),
    ...(one('per-class') ? { perClass: integer('per-class', one('per-class')!, 1) } : {}),
    ...(holdoutClasses ? { holdoutClasses } : {}),
    ...(oosHoldout ? { oosHoldout } : {}),
    seeds,
    filters,
    ...(passRate === undefined ? {} : { passRate }),
    bins: one('bins') ? integer('bins', one('bins')!, 1) : 10,
    json: values.has('json'),
    namesOnly: values.has('names-only'),
    unlabelled: unlabelledSource(one('unlabelled')),
    labelNames: onOff('label-names', one('label-names'), true),
    oosTrain: onOff('oos-train', one('oos-train'), true),
    lexicon: lexiconMode(one('lexicon')),
  };
}

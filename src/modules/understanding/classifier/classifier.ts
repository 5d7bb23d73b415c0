/**
 * Training and prediction: plain examples in, a `ClassifierModel` (plain data) out.
 *
 * Training holds out a stratified share of the examples, trains on the rest, fits the temperature and the
 * out-of-scope threshold on the held-out share, then (by default) trains again on everything with the same
 * settings and keeps the temperature and threshold. Deterministic for a seed.
 */
import {
  expectedCalibrationError,
  fitTemperature,
  reliabilityTable,
  thresholdForPassRate,
} from './calibration.js';
import {
  DEFAULT_FEATURES,
  type FeatureConfig,
  FeatureTable,
  forEachCounted,
  type RawFeatures,
  rawFeatures,
  type SparseRow,
  vectorize,
} from './features.js';
import { type ClassifierModel, type DenseScaling, MODEL_VERSION } from './model.js';
import { naiveBayesWeights } from './naive-bayes.js';
import {
  type LinearWeights,
  type SoftmaxOptions,
  scoreInto,
  softmaxInPlace,
  trainSoftmax,
} from './softmax.js';
import { stratifiedHoldout } from './split.js';

export type Example = {
  text: string;
  label: string;
  /** Extra dense features (e.g. lexicon scores), the same length for every example; standardised. */
  dense?: number[];
};

export type ClassifierInput = string | { text: string; dense?: number[] };

export type TrainOptions = {
  seed?: number;
  features?: Partial<FeatureConfig>;
  softmax?: Partial<Omit<SoftmaxOptions, 'seed'>>;
  /** Features must occur in at least this many training texts (default 2 from 2,000 texts, else 1). */
  minDf?: number;
  /** Share of each class held out to fit calibration and the threshold (default 0.15). */
  calibrationShare?: number;
  /** Share of held-out in-scope texts the out-of-scope threshold lets through (default 0.95). */
  inScopePassRate?: number;
  /** Train again on every example after calibrating (default true). */
  refit?: boolean;
  /** Weight of the naive Bayes weights added to the softmax's (0: none; default 0.1). */
  naiveBayesWeight?: number;
  naiveBayesAlpha?: number;
  /** Weight of the (standardised) dense block against the word block (default 0.3). */
  denseWeight?: number;
};

export type Prediction = {
  /** Labels by calibrated probability, highest first (the top `top` of them). */
  ranked: { label: string; probability: number }[];
  /** The top label's calibrated probability. */
  confidence: number;
  /** True when the confidence is below the model's out-of-scope threshold: "none of these". */
  outOfScope: boolean;
};

type Encoded = { rows: SparseRow[]; labels: Int32Array };

type Fitted = {
  table: FeatureTable;
  hashes: Int32Array;
  idf: Float32Array;
  dense: DenseScaling | null;
  weights: LinearWeights;
};

function denseOf(input: ClassifierInput): number[] | undefined {
  return typeof input === 'string' ? undefined : input.dense;
}

function buildVocabulary(raws: RawFeatures[], minDf: number): { hashes: Int32Array; idf: Float32Array } {
  const df = new Map<number, number>();
  for (const raw of raws) {
    const count = (h: number) => df.set(h, (df.get(h) ?? 0) + 1);
    forEachCounted(raw.word, count);
    forEachCounted(raw.char, count);
  }
  const kept = [...df.entries()].filter(([, d]) => d >= minDf).sort((a, b) => a[0] - b[0]);
  const n = raws.length;
  return {
    hashes: Int32Array.from(kept, ([h]) => h),
    idf: Float32Array.from(kept, ([, d]) => Math.log((1 + n) / (1 + d)) + 1),
  };
}

function denseScaling(vectors: number[][], weight: number): DenseScaling | null {
  const dim = vectors[0]?.length ?? 0;
  if (dim === 0) return null;
  const mean = new Float32Array(dim);
  const std = new Float32Array(dim);
  for (const v of vectors) {
    if (v.length !== dim) throw new Error(`every example needs ${dim} dense features, one has ${v.length}`);
    for (let j = 0; j < dim; j++) mean[j]! += v[j]! / vectors.length;
  }
  for (const v of vectors) for (let j = 0; j < dim; j++) std[j]! += (v[j]! - mean[j]!) ** 2 / vectors.length;
  for (let j = 0; j < dim; j++) std[j] = Math.sqrt(std[j]!) || 1;
  return { dim, mean, std, weight };
}

function row(
  raw: RawFeatures,
  dense: number[] | undefined,
  f: Pick<Fitted, 'table' | 'idf' | 'dense'>,
  config: FeatureConfig,
): SparseRow {
  const sparse = vectorize(raw, f.table, f.idf, config.charWeight);
  const d = f.dense;
  if (!d) return sparse;
  if (!dense || dense.length !== d.dim) throw new Error(`the model expects ${d.dim} dense features`);
  const base = f.table.size;
  const index = new Int32Array(sparse.index.length + d.dim);
  const value = new Float32Array(index.length);
  index.set(sparse.index);
  value.set(sparse.value);
  for (let j = 0; j < d.dim; j++) {
    index[sparse.index.length + j] = base + j;
    value[sparse.value.length + j] = (((dense[j]! - d.mean[j]!) / d.std[j]!) * d.weight) / Math.sqrt(d.dim);
  }
  return { index, value };
}

function fit(
  raws: RawFeatures[],
  examples: Example[],
  labels: Int32Array,
  nClasses: number,
  config: FeatureConfig,
  options: TrainOptions,
  seed: number,
): Fitted {
  const minDf = options.minDf ?? (raws.length >= 2000 ? 2 : 1);
  const { hashes, idf } = buildVocabulary(raws, minDf);
  const table = new FeatureTable(hashes);
  const hasDense = examples.some((e) => e.dense && e.dense.length > 0);
  const dense = hasDense
    ? denseScaling(
        examples.map((e) => e.dense ?? []),
        options.denseWeight ?? 0.3,
      )
    : null;
  const encoded: Encoded = {
    rows: raws.map((raw, i) => row(raw, examples[i]!.dense, { table, idf, dense }, config)),
    labels,
  };
  const nFeatures = hashes.length + (dense?.dim ?? 0);
  const weights = trainSoftmax(encoded.rows, encoded.labels, nFeatures, nClasses, {
    ...options.softmax,
    seed,
  });
  const nbWeight = options.naiveBayesWeight ?? 0.1;
  if (nbWeight > 0) {
    const nb = naiveBayesWeights(
      encoded.rows,
      encoded.labels,
      nFeatures,
      nClasses,
      options.naiveBayesAlpha ?? 0.1,
    );
    for (let i = 0; i < nb.length; i++) weights.weights[i]! += nbWeight * nb[i]!;
  }
  return { table, hashes, idf, dense, weights };
}

function logits(f: Fitted, r: SparseRow): Float64Array {
  const z = Float64Array.from(f.weights.bias);
  scoreInto(f.weights, r, z);
  return z;
}

/** Trains a classifier on labelled texts. Needs at least two labels. */
export function trainClassifier(examples: Example[], options: TrainOptions = {}): ClassifierModel {
  const seed = options.seed ?? 1;
  const config: FeatureConfig = { ...DEFAULT_FEATURES, ...options.features };
  const labelNames = [...new Set(examples.map((e) => e.label))].sort();
  if (labelNames.length < 2) throw new Error(`training needs at least 2 labels, got ${labelNames.length}`);
  const labelIndex = new Map(labelNames.map((l, i) => [l, i]));
  const labels = Int32Array.from(examples, (e) => labelIndex.get(e.label)!);
  const raws = examples.map((e) => rawFeatures(e.text, config));
  const K = labelNames.length;

  const share = options.calibrationShare ?? 0.15;
  const { held, rest } = stratifiedHoldout(
    examples.map((e) => e.label),
    share,
    seed,
  );
  let temperature = 1;
  let oosThreshold = 0;
  const passRate = options.inScopePassRate ?? 0.95;
  let validation = { examples: 0, accuracy: Number.NaN, ece: Number.NaN, passRate };
  let fitted: Fitted | undefined;
  if (held.length > 0 && share > 0) {
    const pick = <T>(a: ArrayLike<T>, idx: number[]) => idx.map((i) => a[i]!);
    const partial = fit(
      pick(raws, rest),
      pick(examples, rest),
      Int32Array.from(pick(labels, rest)),
      K,
      config,
      options,
      seed,
    );
    const heldLogits = held.map((i) => logits(partial, row(raws[i]!, examples[i]!.dense, partial, config)));
    const heldLabels = Int32Array.from(pick(labels, held));
    temperature = fitTemperature(heldLogits, heldLabels);
    const scored = heldLogits.map((z) => {
      const p = z.map((v) => v / temperature);
      softmaxInPlace(p);
      let best = 0;
      for (let k = 1; k < K; k++) if (p[k]! > p[best]!) best = k;
      return { label: labelNames[best]!, confidence: p[best]! };
    });
    const truths = held.map((i) => examples[i]!.label);
    oosThreshold = thresholdForPassRate(
      scored.map((s) => s.confidence),
      passRate,
    );
    validation = {
      examples: held.length,
      accuracy: scored.filter((s, i) => s.label === truths[i]).length / held.length,
      ece: expectedCalibrationError(reliabilityTable(scored, truths)),
      passRate,
    };
    if (options.refit === false) fitted = partial;
  }
  fitted ??= fit(raws, examples, labels, K, config, options, seed);

  return {
    version: MODEL_VERSION,
    labels: labelNames,
    features: config,
    hashes: fitted.hashes,
    idf: fitted.idf,
    weights: fitted.weights.weights,
    bias: fitted.weights.bias,
    dense: fitted.dense,
    temperature,
    oosThreshold,
    validation,
    trainedOn: options.refit === false ? examples.length - held.length : examples.length,
    seed,
  };
}

const tables = new WeakMap<ClassifierModel, FeatureTable>();

function tableOf(model: ClassifierModel): FeatureTable {
  let table = tables.get(model);
  if (!table) {
    table = new FeatureTable(model.hashes);
    tables.set(model, table);
  }
  return table;
}

/** Calibrated probabilities of every label (in `model.labels` order) for one text. */
export function probabilities(model: ClassifierModel, input: ClassifierInput): Float64Array {
  return scored(model, input).p;
}

/** The probabilities and whether the text had any feature the model knows. */
function scored(model: ClassifierModel, input: ClassifierInput): { p: Float64Array; known: boolean } {
  const text = typeof input === 'string' ? input : input.text;
  const r = row(
    rawFeatures(text, model.features),
    denseOf(input),
    { ...model, table: tableOf(model) },
    model.features,
  );
  const known = r.index.length > (model.dense?.dim ?? 0);
  const K = model.labels.length;
  const z = Float64Array.from(model.bias);
  const columns = model.hashes.length + (model.dense?.dim ?? 0);
  scoreInto({ nFeatures: columns, nClasses: K, weights: model.weights, bias: model.bias }, r, z);
  for (let k = 0; k < K; k++) z[k]! /= model.temperature;
  softmaxInPlace(z);
  return { p: z, known };
}

export type PredictOptions = {
  /** How many ranked labels to return (default 5). */
  top?: number;
  /** Override the model's out-of-scope threshold. */
  oosThreshold?: number;
};

/**
 * The ranked labels of one text. It is out of scope when its confidence is below the threshold, or when
 * it has no word or character n-gram the model knows (nothing to go on).
 */
export function predict(
  model: ClassifierModel,
  input: ClassifierInput,
  options: PredictOptions = {},
): Prediction {
  const { p, known } = scored(model, input);
  const order = Array.from(p.keys())
    .sort((a, b) => p[b]! - p[a]! || a - b)
    .slice(0, Math.max(1, options.top ?? 5));
  const confidence = p[order[0]!]!;
  return {
    ranked: order.map((k) => ({ label: model.labels[k]!, probability: p[k]! })),
    confidence,
    outOfScope: !known || confidence < (options.oosThreshold ?? model.oosThreshold),
  };
}

export function predictBatch(
  model: ClassifierModel,
  inputs: ClassifierInput[],
  options: PredictOptions = {},
): Prediction[] {
  return inputs.map((input) => predict(model, input, options));
}

/**
 * Training and prediction: plain examples in, a `ClassifierModel` (plain data) out.
 *
 * Training holds out a stratified share of the examples, trains on the rest, fits the temperature and the
 * out-of-scope threshold on the held-out share, then (by default) trains again on everything with the same
 * settings and keeps the temperature and threshold. Deterministic for a seed.
 *
 * Texts without a label (a workspace's other conversations) can be given too. Self-training: the model
 * labels the 60 % of them it is surest of, trains again on the labelled texts (weighted 3×) plus these
 * pseudo-labels, and repeats with the next model labelling afresh (80, 90, then 95 % of them). It helps where
 * labels are few: with 10 labels per Banking77 intent (and the rest of the texts unlabelled), accuracy goes
 * from 73.5 % to 78 % (bench/RESULTS.md). Texts describing a label (a reason's name and description) are
 * examples of it too, never held out.
 */
import {
  expectedCalibrationError,
  fitTemperature,
  reliabilityTable,
  thresholdForPassRate,
} from './calibration.js';
import { DEFAULT_FEATURES, type FeatureConfig, FeatureTable, rawFeatures } from './features.js';
import {
  type FitOptions,
  type Fitted,
  fit,
  logits,
  type Pool,
  type Pseudo,
  pseudoLabel,
  row,
  subset,
  type TrainingSet,
  withPseudo,
} from './fit.js';
import { type ClassifierModel, MODEL_VERSION } from './model.js';
import { scoreInto, softmaxInPlace } from './softmax.js';
import { stratifiedHoldout } from './split.js';

export type Example = {
  text: string;
  label: string;
  /** Extra dense features (e.g. lexicon scores), the same length for every example; standardised. */
  dense?: number[];
};

export type ClassifierInput = string | { text: string; dense?: number[] };

export type TrainOptions = FitOptions & {
  seed?: number;
  features?: Partial<FeatureConfig>;
  /** Share of each class held out to fit calibration and the threshold (default 0.15). */
  calibrationShare?: number;
  /** Share of held-out in-scope texts the out-of-scope threshold lets through (default 0.95; 0.99 with an
   * out-of-scope class). */
  inScopePassRate?: number;
  /** Train again on every example after calibrating (default true). */
  refit?: boolean;
  /**
   * Texts without a label, learned from by self-training (see the file's comment): as many as fill the
   * training up to 10,000 texts (none when there are 10,000 labelled ones), the first ones first.
   */
  unlabelled?: ClassifierInput[];
  /**
   * The label of texts known to be out of scope ("none of these"), if some are labelled so: they are learned
   * as a class of their own, and a text most like them is out of scope. Predictions never rank it.
   */
  outOfScopeLabel?: string;
  /** Texts that describe a label (a reason's name and description): learned from as one example each. */
  labelTexts?: { label: string; text: string }[];
  selfTraining?: Partial<SelfTrainingOptions>;
};

export type SelfTrainingOptions = {
  /** Per round, the share of the unlabelled texts pseudo-labelled (those the model is surest of); [] : none. */
  shares: number[];
  /** Weight of a labelled text against a pseudo-labelled one. */
  labelledWeight: number;
};

export const DEFAULT_SELF_TRAINING: SelfTrainingOptions = {
  shares: [0.6, 0.8, 0.9, 0.95],
  labelledWeight: 3,
};

/** Self-training adds unlabelled texts until the training has this many texts. */
export const SELF_TRAINING_SIZE = 10_000;

export type Prediction = {
  /** Labels by calibrated probability, highest first (the top `top` of them). */
  ranked: { label: string; probability: number }[];
  /** The top label's calibrated probability. */
  confidence: number;
  /** True when the confidence is below the model's out-of-scope threshold: "none of these". */
  outOfScope: boolean;
};

function denseOf(input: ClassifierInput): number[] | undefined {
  return typeof input === 'string' ? undefined : input.dense;
}

/** Trains a classifier on labelled texts. Needs at least two labels. */
export function trainClassifier(examples: Example[], options: TrainOptions = {}): ClassifierModel {
  const seed = options.seed ?? 1;
  const config: FeatureConfig = { ...DEFAULT_FEATURES, ...options.features };
  const labelNames = [...new Set(examples.map((e) => e.label))].sort();
  if (labelNames.length < 2) throw new Error(`training needs at least 2 labels, got ${labelNames.length}`);
  const labelIndex = new Map(labelNames.map((l, i) => [l, i]));
  // Texts describing a label are examples too, after the labelled ones (so never in the held-out share);
  // not with dense features, which they lack.
  const described = examples.some((e) => e.dense?.length)
    ? []
    : (options.labelTexts ?? []).filter((d) => labelIndex.has(d.label) && d.text.trim() !== '');
  const learned = [...examples, ...described];
  const all: TrainingSet = {
    raws: learned.map((e) => rawFeatures(e.text, config)),
    dense: learned.map((e) => (e as Example).dense),
    labels: Int32Array.from(learned, (e) => labelIndex.get(e.label)!),
  };
  const K = labelNames.length;
  const self = { ...DEFAULT_SELF_TRAINING, ...options.selfTraining };
  const unlabelled = (options.unlabelled ?? []).slice(0, Math.max(0, SELF_TRAINING_SIZE - examples.length));
  const pool: Pool | null =
    unlabelled.length > 0 && self.shares.length > 0
      ? {
          raws: unlabelled.map((u) => rawFeatures(typeof u === 'string' ? u : u.text, config)),
          dense: unlabelled.map(denseOf),
        }
      : null;
  // Trained on labelled texts, then (with unlabelled texts) self-trained round by round.
  const selfTrain = (set: TrainingSet) => {
    let model = fit(set, K, config, options, seed);
    let pseudo: Pseudo | null = null;
    for (const share of pool ? self.shares : []) {
      pseudo = pseudoLabel(model, pool!, config, share);
      model = fit(withPseudo(set, pool!, pseudo, self.labelledWeight), K, config, options, seed);
    }
    return { model, pseudoLabelled: pseudo?.index.length ?? 0 };
  };

  // Calibration: the same training without a held-out share of the labelled texts predicts that share; the
  // temperature and the out-of-scope threshold are fitted on it. Self-training is done again for it: the
  // pseudo-labels of the full training carry the held-out labels to their neighbours, which would make the
  // held-out share look easier than new texts are (and the model overconfident).
  const share = options.calibrationShare ?? 0.15;
  const { held, rest: restLabelled } = stratifiedHoldout(
    examples.map((e) => e.label),
    share,
    seed,
  );
  const rest = [...restLabelled, ...described.map((_, i) => examples.length + i)];
  let temperature = 1;
  let oosThreshold = 0;
  const oos = labelIndex.get(options.outOfScopeLabel ?? '') ?? -1;
  // With texts known to be out of scope learned as a class, that class finds most of them: the threshold
  // only needs to catch the least sure in-scope guesses.
  const passRate = options.inScopePassRate ?? (oos >= 0 ? 0.99 : 0.95);
  let validation = { examples: 0, accuracy: Number.NaN, ece: Number.NaN, passRate };
  let fitted: { model: Fitted; pseudoLabelled: number } | undefined;
  if (held.length > 0 && share > 0) {
    const restSet = subset(all, rest);
    const partial = selfTrain(restSet).model;
    const heldLabels = Int32Array.from(held, (i) => all.labels[i]!);
    const heldLogits = held.map((i) => logits(partial, row(all.raws[i]!, all.dense[i], partial, config)));
    temperature = fitTemperature(heldLogits, heldLabels);
    const inScope = held.flatMap((i, j) => (all.labels[i] === oos ? [] : [j]));
    const scored = inScope.map((j) => {
      const p = heldLogits[j]!.map((v) => v / temperature);
      softmaxInPlace(p);
      let best = oos === 0 ? 1 : 0;
      for (let k = best + 1; k < K; k++) if (k !== oos && p[k]! > p[best]!) best = k;
      return { label: labelNames[best]!, confidence: p[best]! };
    });
    const truths = inScope.map((j) => examples[held[j]!]!.label);
    oosThreshold = thresholdForPassRate(
      scored.map((s) => s.confidence),
      passRate,
    );
    validation = {
      examples: scored.length,
      accuracy: scored.filter((s, i) => s.label === truths[i]).length / scored.length,
      ece: expectedCalibrationError(reliabilityTable(scored, truths)),
      passRate,
    };
    if (options.refit === false) fitted = { model: partial, pseudoLabelled: 0 };
  }
  fitted ??= selfTrain(all);
  const { model: final, pseudoLabelled } = fitted;

  return {
    version: MODEL_VERSION,
    labels: labelNames,
    features: config,
    hashes: final.hashes,
    idf: final.idf,
    weights: final.weights.weights,
    bias: final.weights.bias,
    dense: final.dense,
    temperature,
    oosThreshold,
    validation,
    trainedOn: options.refit === false ? examples.length - held.length : examples.length,
    described: described.length,
    ...(options.outOfScopeLabel !== undefined && labelIndex.has(options.outOfScopeLabel)
      ? { outOfScopeLabel: options.outOfScopeLabel }
      : {}),
    pseudoLabelled,
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
  // With no word or character features at all (a model of dense features alone), every text is known.
  const known = model.hashes.length === 0 || r.index.length > (model.dense?.dim ?? 0);
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
  const oos = model.outOfScopeLabel === undefined ? -1 : model.labels.indexOf(model.outOfScopeLabel);
  const order = Array.from(p.keys())
    .filter((k) => k !== oos)
    .sort((a, b) => p[b]! - p[a]! || a - b)
    .slice(0, Math.max(1, options.top ?? 5));
  const confidence = p[order[0]!]!;
  return {
    ranked: order.map((k) => ({ label: model.labels[k]!, probability: p[k]! })),
    confidence,
    outOfScope:
      !known ||
      (oos >= 0 && p[oos]! > confidence) ||
      confidence < (options.oosThreshold ?? model.oosThreshold),
  };
}

export function predictBatch(
  model: ClassifierModel,
  inputs: ClassifierInput[],
  options: PredictOptions = {},
): Prediction[] {
  return inputs.map((input) => predict(model, input, options));
}

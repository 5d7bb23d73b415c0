/**
 * One fit of the classifier on a training set (vocabulary, idf, dense scaling, softmax plus naive Bayes
 * weights), and the pieces of self-training around it: training sets with pseudo-labelled texts, and the
 * pseudo-labels of a round. `classifier.ts` composes them into `trainClassifier`.
 */
import {
  type FeatureConfig,
  FeatureTable,
  forEachCounted,
  type RawFeatures,
  type SparseRow,
  vectorize,
} from './features.js';
import type { DenseScaling } from './model.js';
import { naiveBayesWeights } from './naive-bayes.js';
import {
  type LinearWeights,
  type SoftmaxOptions,
  scoreInto,
  softmaxInPlace,
  trainSoftmax,
} from './softmax.js';

/** The settings of one fit (a subset of TrainOptions). */
export type FitOptions = {
  softmax?: Partial<Omit<SoftmaxOptions, 'seed'>>;
  /** Features must occur in at least this many training texts (default 2 from 2,000 texts, else 1). */
  minDf?: number;
  /** Weight of the naive Bayes weights added to the softmax's (0: none; default 0.1). */
  naiveBayesWeight?: number;
  naiveBayesAlpha?: number;
  /** Weight of the (standardised) dense block against the word block (default 0.3). */
  denseWeight?: number;
};

/** Texts to train on: raw features, dense features, label indices and (optional) weights. */
export type TrainingSet = {
  raws: RawFeatures[];
  dense: (number[] | undefined)[];
  labels: Int32Array;
  weights?: Float32Array;
};

/** Unlabelled texts, and the pseudo-labels of a round: indices into them with a label index each. */
export type Pool = { raws: RawFeatures[]; dense: (number[] | undefined)[] };
export type Pseudo = { index: number[]; labels: number[] };

export type Fitted = {
  table: FeatureTable;
  hashes: Int32Array;
  idf: Float32Array;
  dense: DenseScaling | null;
  weights: LinearWeights;
};

export function buildVocabulary(
  raws: RawFeatures[],
  minDf: number,
): { hashes: Int32Array; idf: Float32Array } {
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

export function denseScaling(vectors: number[][], weight: number): DenseScaling | null {
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

export function row(
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

export function fit(
  set: TrainingSet,
  nClasses: number,
  config: FeatureConfig,
  options: FitOptions,
  seed: number,
): Fitted {
  const { raws, labels } = set;
  const minDf = options.minDf ?? (raws.length >= 2000 ? 2 : 1);
  const { hashes, idf } = buildVocabulary(raws, minDf);
  const table = new FeatureTable(hashes);
  const hasDense = set.dense.some((d) => d && d.length > 0);
  const dense = hasDense
    ? denseScaling(
        set.dense.map((d) => d ?? []),
        options.denseWeight ?? 0.3,
      )
    : null;
  const rows = raws.map((raw, i) => row(raw, set.dense[i], { table, idf, dense }, config));
  const nFeatures = hashes.length + (dense?.dim ?? 0);
  const weights = trainSoftmax(rows, labels, nFeatures, nClasses, { ...options.softmax, seed }, set.weights);
  const nbWeight = options.naiveBayesWeight ?? 0.1;
  if (nbWeight > 0) {
    const nb = naiveBayesWeights(
      rows,
      labels,
      nFeatures,
      nClasses,
      options.naiveBayesAlpha ?? 0.1,
      set.weights,
    );
    for (let i = 0; i < nb.length; i++) weights.weights[i]! += nbWeight * nb[i]!;
  }
  return { table, hashes, idf, dense, weights };
}

export function subset(set: TrainingSet, idx: number[]): TrainingSet {
  return {
    raws: idx.map((i) => set.raws[i]!),
    dense: idx.map((i) => set.dense[i]),
    labels: Int32Array.from(idx, (i) => set.labels[i]!),
  };
}

/** The labelled texts (weighted) plus the pseudo-labelled ones (weight 1). */
export function withPseudo(
  set: TrainingSet,
  pool: Pool,
  pseudo: Pseudo,
  labelledWeight: number,
): TrainingSet {
  const n = set.raws.length;
  return {
    raws: [...set.raws, ...pseudo.index.map((i) => pool.raws[i]!)],
    dense: [...set.dense, ...pseudo.index.map((i) => pool.dense[i])],
    labels: Int32Array.from([...set.labels, ...pseudo.labels]),
    weights: Float32Array.from({ length: n + pseudo.index.length }, (_, i) => (i < n ? labelledWeight : 1)),
  };
}

export function logits(f: Fitted, r: SparseRow): Float64Array {
  const z = Float64Array.from(f.weights.bias);
  scoreInto(f.weights, r, z);
  return z;
}

/** The `share` of the unlabelled texts the model is surest of (highest top probability), with that label. */
export function pseudoLabel(f: Fitted, pool: Pool, config: FeatureConfig, share: number): Pseudo {
  const top = pool.raws.map((raw, i) => {
    const z = logits(f, row(raw, pool.dense[i], f, config));
    softmaxInPlace(z);
    let best = 0;
    for (let k = 1; k < z.length; k++) if (z[k]! > z[best]!) best = k;
    return { i, label: best, p: z[best]! };
  });
  top.sort((a, b) => b.p - a.p || a.i - b.i);
  const kept = top.slice(0, Math.round(share * top.length)).sort((a, b) => a.i - b.i);
  return { index: kept.map((t) => t.i), labels: kept.map((t) => t.label) };
}

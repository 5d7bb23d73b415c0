/**
 * Multinomial logistic regression (softmax) on sparse rows, trained by SGD: L2 regularisation applied lazily
 * through a global scale (W = scale · V, so a step touches only the row's features), a learning rate decaying
 * linearly to zero, and the weights averaged over the later epochs (tail averaging), which lands closer to
 * the regularised optimum than the last iterate.
 */
import type { SparseRow } from './features.js';
import { Random } from './random.js';

export type SoftmaxOptions = {
  /** L2 strength per example (the objective is mean log loss + lambda/2 · |W|²). */
  lambda: number;
  epochs: number;
  learningRate: number;
  seed: number;
  /** Share of the epochs, from the end, whose weights are averaged. */
  averageShare: number;
};

export const DEFAULT_SOFTMAX: SoftmaxOptions = {
  lambda: 1e-5,
  epochs: 12,
  learningRate: 0.5,
  seed: 1,
  averageShare: 0.5,
};

/** Weights are feature-major: the K class weights of column f are `weights[f*K .. f*K+K)`. */
export type LinearWeights = {
  nFeatures: number;
  nClasses: number;
  weights: Float32Array;
  bias: Float32Array;
};

/** Adds the class scores of `row` into `out` (length K, pre-filled with the bias or zero). */
export function scoreInto(w: LinearWeights, row: SparseRow, out: Float64Array, scale = 1): void {
  const K = w.nClasses;
  const { index, value } = row;
  const W = w.weights;
  for (let i = 0; i < index.length; i++) {
    const base = index[i]! * K;
    const v = value[i]! * scale;
    for (let k = 0; k < K; k++) out[k]! += v * W[base + k]!;
  }
}

/** In-place softmax of `z`; returns log-sum-exp. */
export function softmaxInPlace(z: Float64Array): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < z.length; k++) if (z[k]! > max) max = z[k]!;
  let sum = 0;
  for (let k = 0; k < z.length; k++) {
    const e = Math.exp(z[k]! - max);
    z[k] = e;
    sum += e;
  }
  for (let k = 0; k < z.length; k++) z[k]! /= sum;
  return max + Math.log(sum);
}

export function trainSoftmax(
  rows: SparseRow[],
  labels: Int32Array,
  nFeatures: number,
  nClasses: number,
  options: Partial<SoftmaxOptions> = {},
  /** Per-row weight of the loss (default 1 each): a row of weight 3 counts as three copies of it. */
  sampleWeights?: Float32Array,
): LinearWeights {
  const opt = { ...DEFAULT_SOFTMAX, ...options };
  const K = nClasses;
  const n = rows.length;
  const V = new Float32Array(nFeatures * K);
  const bias = new Float64Array(K);
  const avg = new Float64Array(nFeatures * K);
  const avgBias = new Float64Array(K);
  let averaged = 0;
  let scale = 1;
  const rng = new Random(opt.seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const p = new Float64Array(K);
  const total = opt.epochs * n;
  const firstAveraged = Math.max(0, opt.epochs - Math.max(1, Math.round(opt.epochs * opt.averageShare)));
  let t = 0;
  const view: LinearWeights = { nFeatures, nClasses, weights: V, bias: new Float32Array(0) };

  for (let epoch = 0; epoch < opt.epochs; epoch++) {
    rng.shuffle(order);
    for (let o = 0; o < n; o++) {
      const r = order[o]!;
      const row = rows[r]!;
      const eta = opt.learningRate * (1 - t / total) + 1e-4;
      t++;
      p.set(bias);
      scoreInto(view, row, p, scale);
      softmaxInPlace(p);
      p[labels[r]!]! -= 1;
      scale *= 1 - eta * opt.lambda;
      const rowEta = eta * (sampleWeights?.[r] ?? 1);
      const step = rowEta / scale;
      const { index, value } = row;
      for (let i = 0; i < index.length; i++) {
        const base = index[i]! * K;
        const v = value[i]! * step;
        for (let k = 0; k < K; k++) V[base + k]! -= v * p[k]!;
      }
      for (let k = 0; k < K; k++) bias[k]! -= rowEta * p[k]!;
      if (scale < 1e-6) {
        for (let i = 0; i < V.length; i++) V[i]! *= scale;
        scale = 1;
      }
    }
    if (epoch >= firstAveraged) {
      for (let i = 0; i < V.length; i++) avg[i]! += V[i]! * scale;
      for (let k = 0; k < K; k++) avgBias[k]! += bias[k]!;
      averaged++;
    }
  }
  const weights = new Float32Array(nFeatures * K);
  for (let i = 0; i < weights.length; i++) weights[i] = avg[i]! / averaged;
  return { nFeatures, nClasses, weights, bias: Float32Array.from(avgBias, (b) => b / averaged) };
}

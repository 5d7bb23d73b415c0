/**
 * Multinomial naive Bayes on the same weighted sparse rows, as linear weights (feature-major like the
 * softmax's) centred per feature, so they can be added to the softmax weights: an ensemble of the two at no
 * cost in prediction.
 */
import type { SparseRow } from './features.js';

export function naiveBayesWeights(
  rows: SparseRow[],
  labels: Int32Array,
  nFeatures: number,
  nClasses: number,
  alpha: number,
  sampleWeights?: Float32Array,
): Float32Array {
  const K = nClasses;
  const counts = new Float64Array(nFeatures * K);
  const totals = new Float64Array(K);
  rows.forEach((row, r) => {
    const c = labels[r]!;
    const w = sampleWeights?.[r] ?? 1;
    for (let i = 0; i < row.index.length; i++) {
      const v = Math.max(0, row.value[i]!) * w;
      counts[row.index[i]! * K + c]! += v;
      totals[c]! += v;
    }
  });
  const logTotals = Float64Array.from(totals, (t) => Math.log(t + alpha * nFeatures));
  const w = new Float32Array(nFeatures * K);
  for (let f = 0; f < nFeatures; f++) {
    let mean = 0;
    for (let k = 0; k < K; k++) {
      const v = Math.log(counts[f * K + k]! + alpha) - logTotals[k]!;
      w[f * K + k] = v;
      mean += v / K;
    }
    for (let k = 0; k < K; k++) w[f * K + k]! -= mean;
  }
  return w;
}

/** Classification metrics over parallel arrays of predicted and true labels. */

export type ClassMetrics = { label: string; support: number; recall: number; precision: number; f1: number };

export function accuracy(predicted: readonly string[], truths: readonly string[]): number {
  if (predicted.length !== truths.length) throw new Error('accuracy: arrays differ in length');
  if (truths.length === 0) return Number.NaN;
  let right = 0;
  for (let i = 0; i < truths.length; i++) if (predicted[i] === truths[i]) right++;
  return right / truths.length;
}

/** Recall, precision and F1 of every true label (sorted by label); a label never predicted has precision 0. */
export function perClass(predicted: readonly string[], truths: readonly string[]): ClassMetrics[] {
  if (predicted.length !== truths.length) throw new Error('perClass: arrays differ in length');
  const support = new Map<string, number>();
  const hits = new Map<string, number>();
  const predictedCount = new Map<string, number>();
  truths.forEach((t, i) => {
    support.set(t, (support.get(t) ?? 0) + 1);
    const p = predicted[i]!;
    predictedCount.set(p, (predictedCount.get(p) ?? 0) + 1);
    if (p === t) hits.set(t, (hits.get(t) ?? 0) + 1);
  });
  return [...support.keys()].sort().map((label) => {
    const h = hits.get(label) ?? 0;
    const recall = h / support.get(label)!;
    const precision = h / Math.max(1, predictedCount.get(label) ?? 0);
    const f1 = recall + precision > 0 ? (2 * recall * precision) / (recall + precision) : 0;
    return { label, support: support.get(label)!, recall, precision, f1 };
  });
}

/** Unweighted mean of the per-class F1 over the true labels. */
export function macroF1(predicted: readonly string[], truths: readonly string[]): number {
  const classes = perClass(predicted, truths);
  return classes.length ? classes.reduce((s, c) => s + c.f1, 0) / classes.length : Number.NaN;
}

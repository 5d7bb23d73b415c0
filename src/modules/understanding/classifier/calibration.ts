/**
 * Calibration: temperature scaling fitted on held-out scores, the reliability table and the expected
 * calibration error (ECE) computed from it, and the out-of-scope threshold on the calibrated confidence.
 */

/** log-softmax of `logits / temperature` at `label`. */
function logProb(logits: Float64Array, label: number, temperature: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < logits.length; k++) max = Math.max(max, logits[k]! / temperature);
  let sum = 0;
  for (let k = 0; k < logits.length; k++) sum += Math.exp(logits[k]! / temperature - max);
  return logits[label]! / temperature - max - Math.log(sum);
}

/** Mean negative log-likelihood of the labels under `softmax(logits / temperature)`. */
export function meanNll(logits: Float64Array[], labels: ArrayLike<number>, temperature: number): number {
  let nll = 0;
  for (let i = 0; i < logits.length; i++) nll -= logProb(logits[i]!, labels[i]!, temperature);
  return nll / Math.max(1, logits.length);
}

/**
 * The temperature minimising held-out NLL (golden-section search on log T in [minT, 20]); 1 when there is
 * nothing to fit on. The floor keeps a held-out share that happens to be all right (small or easy data,
 * where the NLL keeps falling as T → 0) from making every prediction certain.
 */
export function fitTemperature(logits: Float64Array[], labels: ArrayLike<number>, minT = 0.5): number {
  if (logits.length === 0) return 1;
  const f = (logT: number) => meanNll(logits, labels, Math.exp(logT));
  let a = Math.log(minT);
  let b = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < 60 && b - a > 1e-4; i++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = f(d);
    }
  }
  return Math.exp((a + b) / 2);
}

export type ReliabilityBin = {
  /** Confidence range [from, to) (the last bin includes 1). */
  from: number;
  to: number;
  count: number;
  /** Mean confidence of the predictions in the bin (NaN when empty). */
  confidence: number;
  /** Share of them that were right (NaN when empty). */
  accuracy: number;
};

/** A prediction's top label and its confidence (its calibrated probability). */
export type Scored = { label: string; confidence: number };

/** Equal-width bins over [0, 1] of the top prediction's confidence against how often it was right. */
export function reliabilityTable(predictions: Scored[], truths: string[], bins = 10): ReliabilityBin[] {
  if (predictions.length !== truths.length) {
    throw new Error(`reliabilityTable: ${predictions.length} predictions but ${truths.length} truths`);
  }
  if (!Number.isInteger(bins) || bins < 1) throw new Error(`reliabilityTable: bins must be ≥ 1, got ${bins}`);
  const count = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const right = new Array<number>(bins).fill(0);
  predictions.forEach((p, i) => {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p.confidence * bins)));
    count[b]!++;
    conf[b]! += p.confidence;
    if (p.label === truths[i]) right[b]!++;
  });
  return count.map((c, b) => ({
    from: b / bins,
    to: (b + 1) / bins,
    count: c,
    confidence: c ? conf[b]! / c : Number.NaN,
    accuracy: c ? right[b]! / c : Number.NaN,
  }));
}

/** ECE: the count-weighted mean gap between confidence and accuracy over the bins of a reliability table. */
export function expectedCalibrationError(table: ReliabilityBin[]): number {
  const n = table.reduce((s, b) => s + b.count, 0);
  if (n === 0) return 0;
  return table.reduce((s, b) => (b.count ? s + (b.count / n) * Math.abs(b.accuracy - b.confidence) : s), 0);
}

/**
 * The out-of-scope threshold: the confidence that `passRate` of the held-out in-scope texts reach (a lower
 * quantile of their confidences). A text whose confidence falls below it is "none of these".
 */
export function thresholdForPassRate(confidences: number[], passRate: number): number {
  if (passRate < 0 || passRate > 1) throw new Error(`passRate must be within [0, 1], got ${passRate}`);
  if (confidences.length === 0 || passRate >= 1) return 0;
  const sorted = [...confidences].sort((a, b) => a - b);
  const position = (1 - passRate) * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.ceil(position);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (position - lo);
}

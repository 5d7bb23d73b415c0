/**
 * How a workspace's new model is measured before it may replace the active one: a probe trained on all but
 * a stratified held-out share of the labels predicts that share, and what it got right is recorded (JSON-safe:
 * empty reliability bins have null, not NaN).
 *
 * With an out-of-scope class (`outOfScopeLabel`), a held-out text the probe finds out of scope counts as
 * predicted "none of these": right when a person said so, wrong otherwise. The reliability table (how far
 * the ranked probabilities can be trusted) is over the texts of a known label.
 */
import { expectedCalibrationError, reliabilityTable, type Scored } from './calibration.js';
import { type Example, predict, type TrainOptions, trainClassifier } from './classifier.js';
import { accuracy, type ClassMetrics, macroF1, perClass } from './metrics.js';
import { stratifiedHoldout } from './split.js';

/** A reliability bin as stored: null where an empty bin has no mean. */
export type StoredReliabilityRow = {
  from: number;
  to: number;
  count: number;
  confidence: number | null;
  accuracy: number | null;
};

export type HeldOutMeasure = {
  /** Indices of the examples held out, their truths and the probe's top label and confidence for each. */
  held: number[];
  truths: string[];
  scored: Scored[];
  /** What the probe said of each: its top label, or the out-of-scope label when it found the text so. */
  predicted: string[];
  accuracy: number;
  macroF1: number;
  ece: number;
  reliability: StoredReliabilityRow[];
  perClass: ClassMetrics[];
};

const finite = (x: number) => (Number.isFinite(x) ? x : null);

export function measureOnHeldOut(
  examples: Example[],
  share: number,
  options: TrainOptions & { seed: number },
): HeldOutMeasure {
  const labels = examples.map((e) => e.label);
  const { held, rest } = stratifiedHoldout(labels, share, options.seed);
  if (held.length === 0) throw new Error('too few labelled examples per class to hold any out');
  const probe = trainClassifier(
    rest.map((i) => examples[i]!),
    options,
  );
  const truths = held.map((i) => labels[i]!);
  const oos = options.outOfScopeLabel;
  const predictions = held.map((i) => predict(probe, examples[i]!, { top: 1 }));
  const scored = predictions.map((p) => ({ label: p.ranked[0]!.label, confidence: p.confidence }));
  const predicted = predictions.map((p, j) => (oos !== undefined && p.outOfScope ? oos : scored[j]!.label));
  const known = truths.flatMap((t, j) => (t === oos ? [] : [j]));
  const table = reliabilityTable(
    known.map((j) => scored[j]!),
    known.map((j) => truths[j]!),
    10,
  );
  return {
    held,
    truths,
    scored,
    predicted,
    accuracy: accuracy(predicted, truths),
    macroF1: finite(macroF1(predicted, truths)) ?? 0,
    ece: expectedCalibrationError(table),
    reliability: table.map((b) => ({
      from: b.from,
      to: b.to,
      count: b.count,
      confidence: finite(b.confidence),
      accuracy: finite(b.accuracy),
    })),
    perClass: perClass(predicted, truths),
  };
}

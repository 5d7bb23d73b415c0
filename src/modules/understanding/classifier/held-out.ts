/**
 * How a workspace's new model is measured before it may replace the active one: a probe trained on all but
 * a stratified held-out share of the labels predicts that share, and what it got right is recorded (JSON-safe:
 * empty reliability bins have null, not NaN).
 *
 * With an out-of-scope class (`outOfScopeLabel`), the figures of the known labels (accuracy, macro-F1, recall
 * per label, reliability) are over the held-out texts of a known label, by the top label, as without one: so
 * models with and without the class compare. The out-of-scope texts held out give `outOfScope`: how many, and
 * the share of them the probe found out of scope.
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
  /** Indices of the examples of a known label held out, their truths and the probe's top label and confidence. */
  held: number[];
  truths: string[];
  scored: Scored[];
  /** Out-of-scope texts held out, and the share the probe found out of scope (null: none held out). */
  outOfScope: { support: number; recall: number } | null;
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
  const known = truths.flatMap((t, j) => (t === oos ? [] : [j]));
  const unknown = truths.flatMap((t, j) => (t === oos ? [j] : []));
  const scored = known.map((j) => ({
    label: predictions[j]!.ranked[0]!.label,
    confidence: predictions[j]!.confidence,
  }));
  const knownTruths = known.map((j) => truths[j]!);
  const predicted = scored.map((s) => s.label);
  const table = reliabilityTable(scored, knownTruths, 10);
  return {
    held: known.map((j) => held[j]!),
    truths: knownTruths,
    scored,
    outOfScope:
      unknown.length === 0
        ? null
        : {
            support: unknown.length,
            recall: unknown.filter((j) => predictions[j]!.outOfScope).length / unknown.length,
          },
    accuracy: accuracy(predicted, knownTruths),
    macroF1: finite(macroF1(predicted, knownTruths)) ?? 0,
    ece: expectedCalibrationError(table),
    reliability: table.map((b) => ({
      from: b.from,
      to: b.to,
      count: b.count,
      confidence: finite(b.confidence),
      accuracy: finite(b.accuracy),
    })),
    perClass: perClass(predicted, knownTruths),
  };
}

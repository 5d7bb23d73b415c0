import type { ReasonModelMetrics } from '../../../db/schema/understanding.js';
import { expectedCalibrationError, reliabilityTable } from '../classifier/calibration.js';
import { type Example, predict, trainClassifier } from '../classifier/classifier.js';
import { accuracy, macroF1, perClass } from '../classifier/metrics.js';
import { type SerializedModel, serializeModel } from '../classifier/model.js';
import { stratifiedHoldout } from '../classifier/split.js';

/** The share of each reason's labelled conversations held out to measure a new model. */
export const HELD_OUT_SHARE = 0.2;

export type TrainingInput = {
  examples: Example[];
  seed: number;
  /** Conversations no person labelled (self-training learns from them too). */
  unlabelled?: string[];
  /** Each reason's name and description (one more example of it). */
  labelTexts?: { label: string; text: string }[];
};
export type MeasuredModel = { metrics: ReasonModelMetrics; heldOut: number; model: SerializedModel };

const finite = (x: number) => (Number.isFinite(x) ? x : null);

/**
 * Measures, then trains: a model trained on all but a stratified held-out share predicts that share (its
 * accuracy, macro-F1, recall per reason and reliability table are what is recorded and shown), then the model
 * kept is trained again on every example with the same settings (the reasons' names and descriptions, and
 * the unlabelled conversations of self-training, in both). Deterministic for a seed. Labels are reason ids
 * as strings.
 */
export function measureAndTrain(input: TrainingInput): MeasuredModel {
  const { examples, seed } = input;
  const options = {
    seed,
    ...(input.unlabelled?.length ? { unlabelled: input.unlabelled } : {}),
    ...(input.labelTexts?.length ? { labelTexts: input.labelTexts } : {}),
  };
  const labels = examples.map((e) => e.label);
  const { held, rest } = stratifiedHoldout(labels, HELD_OUT_SHARE, seed);
  if (held.length === 0) throw new Error('too few labelled conversations per reason to hold any out');
  const probe = trainClassifier(
    rest.map((i) => examples[i]!),
    options,
  );
  const truths = held.map((i) => labels[i]!);
  const scored = held.map((i) => {
    const p = predict(probe, examples[i]!.text, { top: 1 });
    return { label: p.ranked[0]!.label, confidence: p.confidence };
  });
  const predicted = scored.map((s) => s.label);
  const table = reliabilityTable(scored, truths, 10);
  const metrics: ReasonModelMetrics = {
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
    perReason: perClass(predicted, truths).map((c) => ({
      reasonId: Number(c.label),
      support: c.support,
      recall: c.recall,
    })),
  };
  const model = trainClassifier(examples, options);
  metrics.selfLabelled = model.pseudoLabelled ?? 0;
  return { metrics, heldOut: held.length, model: serializeModel(model) };
}

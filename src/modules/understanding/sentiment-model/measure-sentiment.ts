import type { SentimentModelMetrics } from '../../../db/schema/understanding.js';
import { expectedCalibrationError, reliabilityTable } from '../classifier/calibration.js';
import { type Example, predict, trainClassifier } from '../classifier/classifier.js';
import { accuracy, macroF1, perClass } from '../classifier/metrics.js';
import { type SerializedModel, serializeModel } from '../classifier/model.js';
import { stratifiedHoldout } from '../classifier/split.js';
import { labelOfScore, lexiconFeatures } from '../sentiment.js';

/** The share of each label's corrections held out to measure a new model. */
export const SENTIMENT_HELD_OUT_SHARE = 0.2;

export type SentimentTrainingInput = { corrections: { text: string; label: string }[]; seed: number };
export type MeasuredSentimentModel = {
  metrics: SentimentModelMetrics;
  heldOut: number;
  model: SerializedModel;
};

const finite = (x: number) => (Number.isFinite(x) ? x : null);

/**
 * Measures, then trains, as a reason model is: a model trained on all but a stratified fifth of the
 * corrections reads that fifth (its accuracy beside the lexicon's own labels of the same messages, the
 * calibration, recall per label), then the model kept learns from all of them. Its features are the words and
 * the lexicon's four scores (VADER's compound, positive, neutral and negative shares): the lexicon's reading,
 * corrected where the workspace's customers say things differently.
 */
export function measureSentimentModel(input: SentimentTrainingInput): MeasuredSentimentModel {
  const examples: Example[] = input.corrections.map((c) => ({ ...c, dense: lexiconFeatures(c.text) }));
  const labels = examples.map((e) => e.label);
  const { held, rest } = stratifiedHoldout(labels, SENTIMENT_HELD_OUT_SHARE, input.seed);
  if (held.length === 0) throw new Error('too few corrections per label to hold any out');
  const probe = trainClassifier(
    rest.map((i) => examples[i]!),
    { seed: input.seed },
  );
  const truths = held.map((i) => labels[i]!);
  const scored = held.map((i) => {
    const p = predict(probe, examples[i]!, { top: 1 });
    return { label: p.ranked[0]!.label, confidence: p.confidence };
  });
  const predicted = scored.map((s) => s.label);
  const lexicon = held.map((i) => labelOfScore(examples[i]!.dense![0]!) as string);
  const table = reliabilityTable(scored, truths, 10);
  const metrics: SentimentModelMetrics = {
    accuracy: accuracy(predicted, truths),
    lexiconAccuracy: accuracy(lexicon, truths),
    macroF1: finite(macroF1(predicted, truths)) ?? 0,
    ece: expectedCalibrationError(table),
    reliability: table.map((b) => ({
      from: b.from,
      to: b.to,
      count: b.count,
      confidence: finite(b.confidence),
      accuracy: finite(b.accuracy),
    })),
    perLabel: perClass(predicted, truths).map((c) => ({
      label: c.label,
      support: c.support,
      recall: c.recall,
    })),
  };
  const model = trainClassifier(examples, { seed: input.seed });
  return { metrics, heldOut: held.length, model: serializeModel(model) };
}

import type { SentimentModelMetrics } from '../../../db/schema/understanding.js';
import { analyseMessage } from '../analyse.js';
import { type Example, trainClassifier } from '../classifier/classifier.js';
import { measureOnHeldOut } from '../classifier/held-out.js';
import { accuracy } from '../classifier/metrics.js';
import { type SerializedModel, serializeModel } from '../classifier/model.js';
import { lexiconFeatures } from '../sentiment.js';

/** The share of each label's corrections held out to measure a new model. */
export const SENTIMENT_HELD_OUT_SHARE = 0.2;

export type SentimentTrainingInput = { corrections: { text: string; label: string }[]; seed: number };
export type MeasuredSentimentModel = {
  metrics: SentimentModelMetrics;
  heldOut: number;
  model: SerializedModel;
};

/**
 * Measures, then trains, as a reason model is: a model trained on all but a stratified fifth of the
 * corrections reads that fifth (its accuracy beside the lexicon's own labels of the same messages, the
 * calibration, recall per label), then the model kept learns from all of them. Its features are the words and
 * the lexicon's four scores (VADER's compound, positive, neutral and negative shares): the lexicon's reading,
 * corrected where the workspace's customers say things differently.
 */
export function measureSentimentModel(input: SentimentTrainingInput): MeasuredSentimentModel {
  const examples: Example[] = input.corrections.map((c) => ({ ...c, dense: lexiconFeatures(c.text) }));
  const measured = measureOnHeldOut(examples, SENTIMENT_HELD_OUT_SHARE, { seed: input.seed });
  // The baseline a new message gets without the model: the lexicon, distress read as negative.
  const lexicon = measured.held.map((i) => analyseMessage(examples[i]!.text).label as string);
  const metrics: SentimentModelMetrics = {
    accuracy: measured.accuracy,
    lexiconAccuracy: accuracy(lexicon, measured.truths),
    macroF1: measured.macroF1,
    ece: measured.ece,
    reliability: measured.reliability,
    perLabel: measured.perClass.map((c) => ({ label: c.label, support: c.support, recall: c.recall })),
  };
  const model = trainClassifier(examples, { seed: input.seed });
  return { metrics, heldOut: measured.held.length, model: serializeModel(model) };
}

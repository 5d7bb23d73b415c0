import type { ReasonModelMetrics } from '../../../db/schema/understanding.js';
import { type Example, trainClassifier } from '../classifier/classifier.js';
import { measureOnHeldOut } from '../classifier/held-out.js';
import { type SerializedModel, serializeModel } from '../classifier/model.js';

/**
 * The label of conversations a person said no reason fits: learned as "none of these" (the classifier's
 * out-of-scope class), never suggested. Reason labels are ids, so it cannot collide with one.
 */
export const NONE_FITS_LABEL = 'none';
/** Below this many, "none fits" conversations are not learned (a class of one or two would decide little). */
export const MIN_NONE_FITS = 10;

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

/**
 * Measures, then trains: a model trained on all but a stratified held-out share predicts that share (its
 * accuracy, macro-F1, recall per reason and reliability table are what is recorded and shown), then the model
 * kept is trained again on every example with the same settings (the reasons' names and descriptions, and
 * the unlabelled conversations of self-training, in both). Deterministic for a seed. Labels are reason ids
 * as strings; conversations a person said no reason fits are learned as "none of these" (`NONE_FITS_LABEL`,
 * the classifier's out-of-scope class) once there are `MIN_NONE_FITS` of them: the accuracy is over the
 * conversations of a known reason (comparable with a model without the class), and the share of the held-out
 * "none fits" ones found out of scope is `noneFits`.
 */
export function measureAndTrain(input: TrainingInput): MeasuredModel {
  const noneFits = input.examples.filter((e) => e.label === NONE_FITS_LABEL).length;
  const examples =
    noneFits >= MIN_NONE_FITS ? input.examples : input.examples.filter((e) => e.label !== NONE_FITS_LABEL);
  const { seed } = input;
  const options = {
    seed,
    ...(input.unlabelled?.length ? { unlabelled: input.unlabelled } : {}),
    ...(input.labelTexts?.length ? { labelTexts: input.labelTexts } : {}),
    ...(noneFits >= MIN_NONE_FITS ? { outOfScopeLabel: NONE_FITS_LABEL } : {}),
  };
  const measured = measureOnHeldOut(examples, HELD_OUT_SHARE, options);
  const metrics: ReasonModelMetrics = {
    accuracy: measured.accuracy,
    macroF1: measured.macroF1,
    ece: measured.ece,
    reliability: measured.reliability,
    perReason: measured.perClass.map((c) => ({
      reasonId: Number(c.label),
      support: c.support,
      recall: c.recall,
    })),
  };
  if (measured.outOfScope) metrics.noneFits = measured.outOfScope;
  const model = trainClassifier(examples, options);
  metrics.selfLabelled = model.pseudoLabelled ?? 0;
  return { metrics, heldOut: measured.held.length, model: serializeModel(model) };
}

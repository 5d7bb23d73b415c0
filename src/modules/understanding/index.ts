/**
 * Understanding customers: the contact-reason classifier (pure and database-free: plain examples in, a
 * plain-data model out, so it can be trained in a worker_thread and stored as JSON) and its evaluation.
 */
export {
  expectedCalibrationError,
  fitTemperature,
  type ReliabilityBin,
  reliabilityTable,
  type Scored,
  thresholdForPassRate,
} from './classifier/calibration.js';
export {
  type ClassifierInput,
  type Example,
  type Prediction,
  type PredictOptions,
  predict,
  predictBatch,
  probabilities,
  type TrainOptions,
  trainClassifier,
} from './classifier/classifier.js';
export { normalizeText, tokenize } from './classifier/features.js';
export { accuracy, type ClassMetrics, macroF1, perClass } from './classifier/metrics.js';
export {
  type ClassifierModel,
  deserializeModel,
  MODEL_VERSION,
  type SerializedModel,
  serializeModel,
} from './classifier/model.js';
export { pickClasses, samplePerClass, stratifiedFolds, stratifiedHoldout } from './classifier/split.js';
export { type EvalArgs, parseEvalArgs, USAGE, UsageError } from './evaluation/args.js';
export { type Labelled, loadLabelledCsv, loadTextsCsv, parseLabelledCsv } from './evaluation/data.js';
export { evaluateNames, type NamesReport } from './evaluation/names.js';
export { formatReport } from './evaluation/report.js';
export { type EvalPlan, type EvalReport, OUT_OF_SCOPE, runEvaluation } from './evaluation/run.js';

import type { FastifyInstance } from 'fastify';
import type { Deps, EventConsumer, JobHandler } from '../../platform/index.js';
import { READ_HISTORY_JOB, readHistoryHandler } from './read-history.job.js';
import { PREDICT_OPEN_JOB, predictOpenHandler } from './reason-model/predict-open.job.js';
import { registerPredictionRoutes } from './reason-model/prediction.routes.js';
import { registerReasonModelRoutes } from './reason-model/reason-models.routes.js';
import { REASON_MODEL_TRAIN_JOB, trainHandler } from './reason-model/train.job.js';
import { registerSentimentModelRoutes } from './sentiment-model/sentiment-models.routes.js';
import { SENTIMENT_MODEL_TRAIN_JOB, sentimentTrainHandler } from './sentiment-model/sentiment-train.job.js';
import { UNDERSTANDING_CONSUMER, understandingConsumer } from './understanding.consumer.js';
import { registerUnderstandingRoutes } from './understanding.routes.js';

export { analyseMessage, signalsOf } from './analyse.js';
export { rankedReasonsFor } from './reason-model/predict-reason.js';
export { requestTraining } from './reason-model/training.service.js';

/** The module's /api/v1 routes: a conversation's sentiment and distress, and an agent's correction. */
export function registerUnderstandingModuleRoutes(api: FastifyInstance, deps: Deps): void {
  registerUnderstandingRoutes(api, deps);
  registerReasonModelRoutes(api, deps);
  registerPredictionRoutes(api, deps);
  registerSentimentModelRoutes(api, deps);
}

/** The module's job handlers, by job type (collected by boot.ts). */
export const understandingJobHandlers: Record<string, JobHandler> = {
  [REASON_MODEL_TRAIN_JOB]: trainHandler,
  [PREDICT_OPEN_JOB]: predictOpenHandler,
  [SENTIMENT_MODEL_TRAIN_JOB]: sentimentTrainHandler,
  [READ_HISTORY_JOB]: readHistoryHandler,
};

/** The module's event consumers, by name (collected by boot.ts). */
export const understandingEventConsumers: Record<string, EventConsumer> = {
  [UNDERSTANDING_CONSUMER]: understandingConsumer,
};

import type { Tx } from '../../../db/index.js';
import { enqueueJob, type JobHandler, recordEvent, runWorker, systemActor } from '../../../platform/index.js';
import type { MeasuredSentimentModel, SentimentTrainingInput } from './measure-sentiment.js';
import {
  activeSentimentModel,
  correctedMessages,
  findSentimentModel,
  updateSentimentModel,
} from './sentiment-models.repo.js';

export const SENTIMENT_MODEL_TRAIN_JOB = 'sentiment_model.train';

/** Below this many corrections, or two labels, there is nothing to learn from yet. */
export const MIN_CORRECTIONS = 30;
/** A new model may be at most this far below the active one's held-out accuracy (held-out shares differ). */
const ACCURACY_TOLERANCE = 0.02;

export async function enqueueSentimentTraining(tx: Tx, workspaceId: number, modelId: number, now: Date) {
  await enqueueJob(
    tx,
    {
      workspaceId,
      type: SENTIMENT_MODEL_TRAIN_JOB,
      payload: { modelId },
      runAt: now,
      dedupeKey: `sentiment-model-train:${workspaceId}`,
      maxAttempts: 1,
    },
    now,
  );
}

/**
 * Trains the workspace's next sentiment model in a worker thread from the agents' corrections, then decides
 * in one transaction: it becomes active only when it reads its held-out corrections better than the lexicon
 * does (and not more than 2 points below the active model); otherwise it is rejected and labels stay as they
 * were. `sentiment_model.trained` records the outcome either way.
 */
export const sentimentTrainHandler: JobHandler = {
  kind: 'external',
  async run(job, ctx) {
    const ws = job.workspaceId;
    const modelId = Number((job.payload as { modelId?: unknown }).modelId);
    const row = await findSentimentModel(ctx.db, ws, modelId);
    if (row?.status !== 'training') return;
    const corrections = await correctedMessages(ctx.db, ws);
    const labels = new Set(corrections.map((c) => c.label)).size;
    const finish = (patch: Parameters<typeof updateSentimentModel>[3], event: Record<string, unknown>) =>
      ctx.db.transaction(async (tx) => {
        const now = ctx.clock.now();
        await updateSentimentModel(tx, ws, modelId, { ...patch, finishedAt: now });
        await recordEvent(tx, {
          workspaceId: ws,
          type: 'sentiment_model.trained',
          entityType: 'sentiment_model',
          entityId: modelId,
          actor: systemActor,
          data: event,
          at: now,
        });
      });
    if (corrections.length < MIN_CORRECTIONS || labels < 2) {
      const note = `Not enough corrections yet: ${corrections.length} over ${labels} labels (at least ${MIN_CORRECTIONS} over 2 are needed)`;
      await finish({ status: 'rejected', examples: corrections.length, note }, { status: 'rejected', note });
      return;
    }
    const started = performance.now();
    let measured: MeasuredSentimentModel;
    try {
      measured = await runWorker<MeasuredSentimentModel>(import.meta.url, 'sentiment-train-worker', {
        corrections,
        seed: modelId,
      } satisfies SentimentTrainingInput);
    } catch (err) {
      const note = `Training failed: ${err instanceof Error ? err.message : String(err)}`;
      ctx.log.error({ err, workspaceId: ws, modelId }, 'sentiment model training failed');
      await finish({ status: 'failed', examples: corrections.length, note }, { status: 'failed', note });
      return;
    }
    const trainingMs = Math.round(performance.now() - started);
    const { metrics } = measured;
    await ctx.db.transaction(async (tx) => {
      const now = ctx.clock.now();
      const active = await activeSentimentModel(tx, ws);
      const beatsLexicon = metrics.accuracy > metrics.lexiconAccuracy;
      const floor = (active?.accuracy ?? 0) - ACCURACY_TOLERANCE;
      const validated = beatsLexicon && metrics.accuracy >= floor;
      const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
      const note = validated
        ? null
        : !beatsLexicon
          ? `Held-out accuracy ${pct(metrics.accuracy)} is not above the lexicon's ${pct(metrics.lexiconAccuracy)} on the same messages: the ${active ? 'active model stays' : 'lexicon keeps labelling'}`
          : `Held-out accuracy ${pct(metrics.accuracy)} is below ${pct(floor)}: the active model stays`;
      if (validated && active) await updateSentimentModel(tx, ws, active.id, { status: 'retired' });
      await updateSentimentModel(tx, ws, modelId, {
        status: validated ? 'active' : 'rejected',
        examples: corrections.length,
        heldOut: measured.heldOut,
        accuracy: metrics.accuracy,
        lexiconAccuracy: metrics.lexiconAccuracy,
        ece: metrics.ece,
        metrics,
        note,
        trainingMs,
        model: validated ? measured.model : null,
        finishedAt: now,
      });
      await recordEvent(tx, {
        workspaceId: ws,
        type: 'sentiment_model.trained',
        entityType: 'sentiment_model',
        entityId: modelId,
        actor: systemActor,
        data: {
          status: validated ? 'active' : 'rejected',
          accuracy: metrics.accuracy,
          lexiconAccuracy: metrics.lexiconAccuracy,
          examples: corrections.length,
          ...(validated && active ? { replaced: active.id } : {}),
          ...(note ? { note } : {}),
        },
        at: now,
      });
    });
  },
};

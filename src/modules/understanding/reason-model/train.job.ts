import type { Tx } from '../../../db/index.js';
import { enqueueJob, type JobHandler, recordEvent, runWorker, systemActor } from '../../../platform/index.js';
import { SELF_TRAINING_SIZE } from '../classifier/classifier.js';
import { type MeasuredModel, NONE_FITS_LABEL, type TrainingInput } from './measure.js';
import { queuePredictOpen } from './predict-open.job.js';
import {
  activeReasonModel,
  findReasonModel,
  labelledExamples,
  reasonTexts,
  unlabelledTexts,
  updateReasonModel,
} from './reason-models.repo.js';

export const REASON_MODEL_TRAIN_JOB = 'reason_model.train';
export const trainKey = (workspaceId: number) => `reason-model-train:${workspaceId}`;

/** Below this many labelled conversations, or two reasons, there is nothing to learn from yet. */
export const MIN_EXAMPLES = 20;
/** A new model is validated when its held-out accuracy reaches this… */
export const MIN_ACCURACY = 0.5;
/** …and is no more than this below the active model's (held-out shares differ from one training to the next). */
export const ACCURACY_TOLERANCE = 0.02;

export async function enqueueTraining(tx: Tx, workspaceId: number, modelId: number, now: Date) {
  await enqueueJob(
    tx,
    {
      workspaceId,
      type: REASON_MODEL_TRAIN_JOB,
      payload: { modelId },
      runAt: now,
      dedupeKey: trainKey(workspaceId),
      maxAttempts: 1,
    },
    now,
  );
}

/**
 * Trains the workspace's next contact-reason model in a worker thread (requests never wait for it), then
 * decides in one transaction: validated on its held-out share, it becomes the active model, the previous
 * one is retired and the open conversations still without a reason or a prediction get one; otherwise it is rejected and the previous one stays. `reason_model.trained` records the
 * outcome and the measured accuracy either way.
 */
export const trainHandler: JobHandler = {
  kind: 'external',
  async run(job, ctx) {
    const ws = job.workspaceId;
    const modelId = Number((job.payload as { modelId?: unknown }).modelId);
    const row = await findReasonModel(ctx.db, ws, modelId);
    if (row?.status !== 'training') return;
    const examples = await labelledExamples(ctx.db, ws);
    const reasons = new Set(examples.map((e) => e.label).filter((l) => l !== NONE_FITS_LABEL)).size;
    const finish = (patch: Parameters<typeof updateReasonModel>[3], event: Record<string, unknown>) =>
      ctx.db.transaction(async (tx) => {
        const now = ctx.clock.now();
        await updateReasonModel(tx, ws, modelId, { ...patch, finishedAt: now });
        await recordEvent(tx, {
          workspaceId: ws,
          type: 'reason_model.trained',
          entityType: 'reason_model',
          entityId: modelId,
          actor: systemActor,
          data: event,
          at: now,
        });
      });
    if (examples.length < MIN_EXAMPLES || reasons < 2) {
      const note = `Not enough labels yet: ${examples.length} labelled conversations over ${reasons} reasons (at least ${MIN_EXAMPLES} over 2 are needed)`;
      await finish(
        { status: 'rejected', examples: examples.length, reasons, note },
        { status: 'rejected', note },
      );
      return;
    }
    const started = performance.now();
    let measured: MeasuredModel;
    try {
      measured = await runWorker<MeasuredModel>(import.meta.url, 'train-worker', {
        examples,
        seed: modelId,
        unlabelled: await unlabelledTexts(ctx.db, ws, SELF_TRAINING_SIZE - examples.length),
        labelTexts: await reasonTexts(ctx.db, ws),
      } satisfies TrainingInput);
    } catch (err) {
      const note = `Training failed: ${err instanceof Error ? err.message : String(err)}`;
      ctx.log.error({ err, workspaceId: ws, modelId }, 'reason model training failed');
      await finish(
        { status: 'failed', examples: examples.length, reasons, note },
        { status: 'failed', note },
      );
      return;
    }
    const trainingMs = Math.round(performance.now() - started);
    const { metrics } = measured;
    await ctx.db.transaction(async (tx) => {
      const now = ctx.clock.now();
      const active = await activeReasonModel(tx, ws);
      const floor = Math.max(MIN_ACCURACY, (active?.accuracy ?? 0) - ACCURACY_TOLERANCE);
      const validated = metrics.accuracy >= floor;
      const note = validated
        ? null
        : `Held-out accuracy ${(metrics.accuracy * 100).toFixed(1)} % is below ${(floor * 100).toFixed(1)} %: the ${active ? 'active model stays' : 'workspace keeps suggesting from the reasons’ names'}`;
      if (validated && active) await updateReasonModel(tx, ws, active.id, { status: 'retired' });
      if (validated) await queuePredictOpen(tx, ws, now);
      await updateReasonModel(tx, ws, modelId, {
        status: validated ? 'active' : 'rejected',
        examples: examples.length,
        heldOut: measured.heldOut,
        reasons,
        accuracy: metrics.accuracy,
        ece: metrics.ece,
        metrics,
        note,
        trainingMs,
        model: validated ? measured.model : null,
        finishedAt: now,
      });
      await recordEvent(tx, {
        workspaceId: ws,
        type: 'reason_model.trained',
        entityType: 'reason_model',
        entityId: modelId,
        actor: systemActor,
        data: {
          status: validated ? 'active' : 'rejected',
          accuracy: metrics.accuracy,
          ece: metrics.ece,
          examples: examples.length,
          ...(validated && active ? { replaced: active.id } : {}),
          ...(note ? { note } : {}),
        },
        at: now,
      });
    });
  },
};

/**
 * The evaluation behind `npm run eval:understanding`: splits labelled texts (train/test files or stratified
 * cross-validation), holds classes out as out of scope if asked, trains through `trainClassifier` (the
 * product's code path) and measures the predictions of `predictBatch`.
 */

import { analyseMessage } from '../analyse.js';
import {
  expectedCalibrationError,
  type ReliabilityBin,
  reliabilityTable,
} from '../classifier/calibration.js';
import { predictBatch, type TrainOptions, trainClassifier } from '../classifier/classifier.js';
import { accuracy, type ClassMetrics, macroF1, perClass } from '../classifier/metrics.js';
import { pickClasses, samplePerClass, stratifiedFolds } from '../classifier/split.js';
import { lexiconFeatures } from '../sentiment.js';
import type { Labelled } from './data.js';

/** The truth of an out-of-scope text. */
export const OUT_OF_SCOPE = '(out of scope)';

export type EvalPlan = {
  /** Train/test pairs, or one set to cross-validate. */
  data: { train: Labelled[]; test: Labelled[] } | { cv: Labelled[]; folds: number; fold?: number };
  seeds: number[];
  oosLabel?: string;
  holdoutClasses?: string[];
  oosHoldout?: number;
  perClass?: number;
  passRate?: number;
  /**
   * Texts learned from without their labels (self-training): 'rest' (the default) gives the training texts
   * that `perClass` left out, as a workspace has many more conversations than labels; or given texts.
   */
  unlabelled?: 'rest' | 'none' | string[];
  /** Each label's name (underscores and hyphens as spaces) is one example of it (default true). */
  labelNames?: boolean;
  /** Training texts labelled `oosLabel` are learned as a "none of these" class (default true); false drops them. */
  oosTrain?: boolean;
  /**
   * The sentiment lexicon (VADER) as four extra features: 'on' beside the words, 'only' alone (the lexicon
   * baseline, calibrated by learning from labels); default 'off'.
   */
  lexicon?: 'off' | 'on' | 'only';
  bins?: number;
  train?: Omit<TrainOptions, 'seed' | 'inScopePassRate'>;
};

type SplitOutcome = {
  predicted: string[];
  confidence: number[];
  flagged: boolean[];
  truths: string[];
  /** With the lexicon: the baseline's zero-shot label of each test text (VADER's cut-offs, distress negative). */
  lexiconLabels: string[] | null;
  trainExamples: number;
  pseudoLabelled: number;
  oosTrained: number;
  trainSeconds: number;
  trainCpuSeconds: number;
  predictSeconds: number;
  temperature: number;
  threshold: number;
};

export type EvalReport = {
  seeds: number[];
  splits: number;
  outOfScopeClasses: string[][];
  trainExamples: number;
  /** Unlabelled training texts that self-training gave a label and learned from (mean per split). */
  pseudoLabelled: number;
  /** Training texts labelled out of scope, learned as a "none of these" class (mean per split). */
  oosTrained: number;
  /**
   * With --lexicon and sentiment labels (negative, neutral, positive): the share of in-scope test texts the
   * lexicon baseline alone labels right, zero-shot (VADER's own ±0.05 cut-offs; a message showing distress
   * negative: `analyseMessage`, what a new message gets before any model), for comparison.
   */
  lexiconZeroShot?: number;
  testExamples: number;
  inScopeTexts: number;
  outOfScopeTexts: number;
  /** Top-1 accuracy on in-scope texts, ignoring the out-of-scope flag (mean over seeds). */
  accuracy: number;
  macroF1: number;
  /** The share of in-scope test texts a constant guess of their most frequent class gets right. */
  majorityBaseline: number;
  perClass: ClassMetrics[];
  /** When out-of-scope texts are labelled: in-scope texts right and not flagged; out-of-scope texts flagged. */
  inScopeAccuracy?: number;
  outOfScopeRecall?: number;
  /** In-scope texts flagged out of scope anyway. */
  inScopeFlagged: number;
  ece: number;
  reliability: ReliabilityBin[];
  temperature: number;
  threshold: number;
  trainSeconds: number;
  trainCpuSeconds: number;
  predictionsPerSecond: number;
  perSeed: { seed: number; accuracy: number; inScopeAccuracy?: number; outOfScopeRecall?: number }[];
};

/** A label's name as the text describing it, as a reason's name describes it in the product. */
export function labelNameTexts(examples: Labelled[]): { label: string; text: string }[] {
  return [...new Set(examples.map((e) => e.label))].map((label) => ({
    label,
    text: label.replace(/[_-]+/g, ' '),
  }));
}

function evaluateSplit(
  train: Labelled[],
  test: Labelled[],
  oos: Set<string>,
  seed: number,
  plan: EvalPlan,
): SplitOutcome {
  // Texts labelled out of scope in the training data (--oos-label) are learned as a class of their own;
  // classes held out are not seen at all.
  const learnedOos = plan.oosLabel !== undefined && plan.oosTrain !== false ? plan.oosLabel : undefined;
  let examples = train.filter((e) => !oos.has(e.label) || e.label === learnedOos);
  let rest: string[] = [];
  if (plan.perClass) {
    const keep = samplePerClass(
      examples.map((e) => e.label),
      plan.perClass,
      seed,
    );
    const kept = new Set(keep);
    rest = examples.filter((_, i) => !kept.has(i)).map((e) => e.text);
    examples = keep.map((i) => examples[i]!);
  }
  const source = plan.unlabelled ?? 'rest';
  const unlabelled = source === 'rest' ? rest : source === 'none' ? [] : source;
  const wall = performance.now();
  const cpu = process.cpuUsage();
  const lexicon = plan.lexicon ?? 'off';
  const input = (text: string) => (lexicon === 'off' ? text : { text, dense: lexiconFeatures(text) });
  const model = trainClassifier(
    examples.map((e) => ({ ...e, ...(lexicon === 'off' ? {} : (input(e.text) as object)) })),
    {
      ...plan.train,
      ...(lexicon === 'only'
        ? { features: { ...plan.train?.features, wordNgrams: [], charMin: 1, charMax: 0 } }
        : {}),
      seed,
      ...(unlabelled.length > 0 ? { unlabelled: unlabelled.map(input) } : {}),
      ...(learnedOos !== undefined ? { outOfScopeLabel: learnedOos } : {}),
      ...(plan.labelNames === false
        ? {}
        : { labelTexts: labelNameTexts(examples.filter((e) => e.label !== learnedOos)) }),
      ...(plan.passRate === undefined ? {} : { inScopePassRate: plan.passRate }),
    },
  );
  const used = process.cpuUsage(cpu);
  const trainSeconds = (performance.now() - wall) / 1000;
  const started = performance.now();
  const predictions = predictBatch(
    model,
    test.map((e) => input(e.text)),
    { top: 1 },
  );
  const predictSeconds = (performance.now() - started) / 1000;
  return {
    predicted: predictions.map((p) => p.ranked[0]!.label),
    confidence: predictions.map((p) => p.confidence),
    flagged: predictions.map((p) => p.outOfScope),
    truths: test.map((e) => (oos.has(e.label) ? OUT_OF_SCOPE : e.label)),
    lexiconLabels: lexicon === 'off' ? null : test.map((e) => analyseMessage(e.text).label as string),
    trainExamples: examples.length,
    pseudoLabelled: model.pseudoLabelled ?? 0,
    oosTrained: learnedOos === undefined ? 0 : examples.filter((e) => e.label === learnedOos).length,
    trainSeconds,
    trainCpuSeconds: (used.user + used.system) / 1e6,
    predictSeconds,
    temperature: model.temperature,
    threshold: model.oosThreshold,
  };
}

function outOfScopeClasses(plan: EvalPlan, labels: string[], seed: number): Set<string> {
  const classes = new Set<string>(plan.holdoutClasses ?? []);
  if (plan.oosLabel !== undefined) classes.add(plan.oosLabel);
  if (plan.oosHoldout) for (const c of pickClasses(labels, plan.oosHoldout, seed)) classes.add(c);
  const known = new Set(labels);
  const unknown = [...(plan.holdoutClasses ?? [])].filter((c) => !known.has(c));
  if (unknown.length)
    throw new Error(`--holdout-classes: no class ${unknown.map((c) => `"${c}"`).join(', ')}`);
  return classes;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);

export function runEvaluation(plan: EvalPlan): EvalReport {
  const outcomes: { seed: number; split: SplitOutcome }[] = [];
  const oosBySeed: string[][] = [];
  for (const seed of plan.seeds) {
    const all = 'cv' in plan.data ? plan.data.cv : plan.data.train;
    const oos = outOfScopeClasses(
      plan,
      all.map((e) => e.label),
      seed,
    );
    oosBySeed.push([...oos].sort());
    if ('cv' in plan.data) {
      const { cv, folds, fold } = plan.data;
      const assignment = stratifiedFolds(
        cv.map((e) => e.label),
        folds,
        seed,
      );
      for (let f = 0; f < folds; f++) {
        if (fold !== undefined && f !== fold) continue;
        const train = cv.filter((_, i) => assignment[i] !== f);
        const test = cv.filter((_, i) => assignment[i] === f);
        outcomes.push({ seed, split: evaluateSplit(train, test, oos, seed, plan) });
      }
    } else {
      outcomes.push({ seed, split: evaluateSplit(plan.data.train, plan.data.test, oos, seed, plan) });
    }
  }
  return summarise(outcomes, oosBySeed, plan);
}

const SENTIMENT_LABELS = new Set(['negative', 'neutral', 'positive']);

/** The lexicon's zero-shot accuracy over every split's test texts, when the labels are sentiment labels. */
function lexiconZeroShot(splits: SplitOutcome[]): { lexiconZeroShot?: number } {
  if (splits.some((s) => !s.lexiconLabels)) return {};
  const truths = splits.flatMap((s) => s.truths);
  if (!truths.every((t) => SENTIMENT_LABELS.has(t.toLowerCase()))) return {};
  const zeroShot = splits.flatMap((s) => s.lexiconLabels!);
  return {
    lexiconZeroShot: zeroShot.filter((l, i) => l === truths[i]!.toLowerCase()).length / truths.length,
  };
}

function summarise(
  outcomes: { seed: number; split: SplitOutcome }[],
  oosBySeed: string[][],
  plan: EvalPlan,
): EvalReport {
  const pooled = {
    predicted: [] as string[],
    truths: [] as string[],
    confidence: [] as number[],
    flagged: [] as boolean[],
  };
  const perSeed: EvalReport['perSeed'] = [];
  for (const seed of plan.seeds) {
    const mine = outcomes.filter((o) => o.seed === seed).map((o) => o.split);
    const p = mine.flatMap((s) => s.predicted);
    const t = mine.flatMap((s) => s.truths);
    const f = mine.flatMap((s) => s.flagged);
    const inScope = t.map((x) => x !== OUT_OF_SCOPE);
    const oosTexts = inScope.filter((x) => !x).length;
    const inScopeTexts = t.length - oosTexts;
    perSeed.push({
      seed,
      accuracy: accuracy(
        p.filter((_, i) => inScope[i]),
        t.filter((_, i) => inScope[i]),
      ),
      ...(oosTexts > 0
        ? {
            inScopeAccuracy: p.filter((x, i) => inScope[i] && !f[i] && x === t[i]).length / inScopeTexts,
            outOfScopeRecall: f.filter((x, i) => x && !inScope[i]).length / oosTexts,
          }
        : {}),
    });
    pooled.predicted.push(...p);
    pooled.truths.push(...t);
    pooled.confidence.push(...mine.flatMap((s) => s.confidence));
    pooled.flagged.push(...f);
  }
  const inScope = pooled.truths.map((t) => t !== OUT_OF_SCOPE);
  const pick = <T>(xs: T[]) => xs.filter((_, i) => inScope[i]);
  const counts = new Map<string, number>();
  for (const t of pick(pooled.truths)) counts.set(t, (counts.get(t) ?? 0) + 1);
  const majorityRight = Math.max(0, ...counts.values());
  const reliability = reliabilityTable(
    pick(pooled.predicted).map((label, i) => ({ label, confidence: pick(pooled.confidence)[i]! })),
    pick(pooled.truths),
    plan.bins ?? 10,
  );
  const splits = outcomes.map((o) => o.split);
  const oosTexts = inScope.filter((x) => !x).length;
  return {
    seeds: plan.seeds,
    splits: splits.length,
    outOfScopeClasses: oosBySeed,
    trainExamples: Math.round(mean(splits.map((s) => s.trainExamples))),
    pseudoLabelled: Math.round(mean(splits.map((s) => s.pseudoLabelled))),
    oosTrained: Math.round(mean(splits.map((s) => s.oosTrained))),
    ...lexiconZeroShot(splits),
    testExamples: pooled.truths.length / plan.seeds.length,
    inScopeTexts: pick(pooled.truths).length / plan.seeds.length,
    outOfScopeTexts: oosTexts / plan.seeds.length,
    accuracy: mean(perSeed.map((s) => s.accuracy)),
    macroF1: macroF1(pick(pooled.predicted), pick(pooled.truths)),
    majorityBaseline: majorityRight / Math.max(1, pick(pooled.truths).length),
    perClass: perClass(pick(pooled.predicted), pick(pooled.truths)),
    ...(oosTexts > 0
      ? {
          inScopeAccuracy: mean(perSeed.map((s) => s.inScopeAccuracy!)),
          outOfScopeRecall: mean(perSeed.map((s) => s.outOfScopeRecall!)),
        }
      : {}),
    inScopeFlagged: pick(pooled.flagged).filter(Boolean).length / Math.max(1, pick(pooled.flagged).length),
    ece: expectedCalibrationError(reliability),
    reliability,
    temperature: mean(splits.map((s) => s.temperature)),
    threshold: mean(splits.map((s) => s.threshold)),
    trainSeconds: mean(splits.map((s) => s.trainSeconds)),
    trainCpuSeconds: mean(splits.map((s) => s.trainCpuSeconds)),
    predictionsPerSecond:
      splits.reduce((n, s) => n + s.truths.length, 0) / splits.reduce((n, s) => n + s.predictSeconds, 0),
    perSeed,
  };
}

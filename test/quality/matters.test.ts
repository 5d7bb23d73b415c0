/**
 * Matter assignment on a labelled fixture (issue 7): Banking77 paraphrases, one intent per problem, so the
 * truth does not come from the matcher's own rule (see matters-fixture.ts). The contact reason is left unset:
 * the decision has the customer's text and the reason model's top three, trained on a disjoint half of the
 * data (the workspace's labelled history). Same-matter decisions are counted over pairs of one customer's
 * conversations. The thresholds (SAME_PREDICTED_REASON 0.3, SIMILAR_ENOUGH 0.45) were picked on timeline
 * seed 1 (94.9 % / 85.6 % there; text alone 93.5 % / 44.5 %); the gate is on seeds 2 to 4, not seen then.
 * Text alone stays far below the recall target (paraphrases often share no content word): the reason model
 * makes the difference, so a workspace without one gets the lexical figures.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_REPEAT_WINDOW_DAYS } from '../../src/modules/matters/decide.js';
import { loadLabelledCsv } from '../../src/modules/understanding/index.js';
import {
  buildTimeline,
  type FixtureConversation,
  type PairScore,
  pairScore,
  replay,
  splitHistory,
  trainReasonModel,
} from './matters-fixture.js';
import { dataFile, pct, skipUnlessData } from './quality-data.js';

const FILE = 'banking77/train.csv';
const skip = skipUnlessData(FILE);
const CUSTOMERS = 60;
const SEEDS = [2, 3, 4];

function pooled(scores: PairScore[]): PairScore {
  const tp = scores.reduce((s, r) => s + r.tp, 0);
  const fp = scores.reduce((s, r) => s + r.fp, 0);
  const fn = scores.reduce((s, r) => s + r.fn, 0);
  const pairs = scores.reduce((s, r) => s + r.pairs, 0);
  return { precision: tp / (tp + fp), recall: tp / (tp + fn), tp, fp, fn, pairs };
}

describe('matter assignment on the Banking77 fixture (text only, reason unset)', { skip }, () => {
  test('same-matter precision ≥ 90 % and recall ≥ 80 % with the reason model; text alone printed', () => {
    const examples = loadLabelledCsv(dataFile(FILE), { text: 'text', label: 'category' }).examples;
    const split = splitHistory(examples, 1);
    const model = trainReasonModel(split, 1);
    const timelines: FixtureConversation[][] = SEEDS.map((seed) => buildTimeline(split, CUSTOMERS, seed));
    for (const [i, timeline] of timelines.entries()) {
      const customers = new Set(timeline.map((c) => c.customer)).size;
      const problems = new Set(timeline.map((c) => c.problem)).size;
      console.log(
        `seed ${SEEDS[i]}: ${customers} customers, ${problems} problems, ${timeline.length} conversations`,
      );
      assert.ok(customers >= 50 && timeline.length >= 300);
    }
    const windowDays = DEFAULT_REPEAT_WINDOW_DAYS;
    const lexical = pooled(timelines.map((t) => pairScore(replay(t, { model: null, windowDays }))));
    const replayed = timelines.map((t) => replay(t, { model, windowDays }));
    const withModel = pooled(replayed.map(pairScore));
    for (const [i, r] of replayed.entries()) {
      const s = pairScore(r);
      const rules = new Map<string, number>();
      for (const x of r) rules.set(x.decision.rule, (rules.get(x.decision.rule) ?? 0) + 1);
      console.log(
        `seed ${SEEDS[i]}, text and reason model: precision ${pct(s.precision)}, recall ${pct(s.recall)}; ` +
          [...rules].map(([rule, n]) => `${rule} ${n}`).join(', '),
      );
    }
    const ms = replayed.flatMap((r) => r.map((x) => x.ms)).sort((a, b) => a - b);
    const p95 = ms[Math.floor(ms.length * 0.95)] ?? 0;
    console.log(`matters: decideMatter p95 ${p95.toFixed(3)} ms, max ${(ms.at(-1) ?? 0).toFixed(3)} ms`);
    console.log(
      `matters, text alone (lexical): precision ${pct(lexical.precision)}, recall ${pct(lexical.recall)} ` +
        `(${lexical.pairs} pairs, ${lexical.tp + lexical.fn} truly the same problem)`,
    );
    console.log(
      `matters, text and reason model: precision ${pct(withModel.precision)}, recall ${pct(withModel.recall)}`,
    );
    assert.ok(withModel.precision >= 0.9, `precision ${pct(withModel.precision)} < 90 %`);
    assert.ok(withModel.recall >= 0.8, `recall ${pct(withModel.recall)} < 80 %`);
  });
});

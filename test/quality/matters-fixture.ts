/**
 * The labelled matter fixture of issue 7, built from Banking77 (CC BY 4.0) so that its truth does not come
 * from the matcher's own rule: each customer has several problems, each problem is one intent (different
 * problems, different intents), and its conversations are different customers' paraphrases of that intent.
 *
 * Each intent's examples are split in two disjoint halves: the workspace's labelled history, on which the
 * reason model is trained (intents play the workspace's reasons), and the pool the fixture's texts are drawn
 * from, so no fixture text was seen in training. Deterministic for its seeds.
 */
import { decideMatter, type MatterCandidate, type MatterDecision } from '../../src/modules/matters/decide.js';
import { Random } from '../../src/modules/understanding/classifier/random.js';
import type { ClassifierModel, Labelled } from '../../src/modules/understanding/index.js';
import { predict, trainClassifier } from '../../src/modules/understanding/index.js';

type RankedReason = { reasonId: number; probability: number };

export type Split = { history: Labelled[]; pool: Map<number, string[]>; reasonOf: Map<string, number> };

/** Half of each intent's examples (shuffled with `seed`) to the history, the rest to the fixture's pool. */
export function splitHistory(examples: Labelled[], seed: number): Split {
  const byIntent = new Map<string, string[]>();
  for (const e of examples) {
    const list = byIntent.get(e.label) ?? [];
    list.push(e.text);
    byIntent.set(e.label, list);
  }
  const rng = new Random(seed);
  const intents = [...byIntent.keys()].sort();
  const reasonOf = new Map(intents.map((intent, i) => [intent, i + 1]));
  const history: Labelled[] = [];
  const pool = new Map<number, string[]>();
  for (const intent of intents) {
    const texts = rng.shuffle([...(byIntent.get(intent) as string[])]);
    const half = Math.floor(texts.length / 2);
    for (const text of texts.slice(0, half)) history.push({ text, label: String(reasonOf.get(intent)) });
    pool.set(reasonOf.get(intent) as number, texts.slice(half));
  }
  return { history, pool, reasonOf };
}

export function trainReasonModel(split: Split, seed: number): ClassifierModel {
  return trainClassifier(split.history, { seed });
}

export type FixtureConversation = {
  customer: number;
  /** The truth: the customer's problem this conversation is about. */
  problem: number;
  reasonId: number;
  channel: 'email' | 'chat' | 'whatsapp' | 'phone';
  at: Date;
  text: string;
};

const CHANNELS = ['email', 'chat', 'whatsapp', 'phone'] as const;
const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 5);

/**
 * `customers` customers, each with 3 to 5 problems of distinct intents, each problem with 1 to 4
 * conversations; the problems start over ~45 days (so a customer's problems overlap within the repeat
 * window), a repeat comes 1 hour to 13 days after the previous contact, by another channel one time in
 * three. Texts are drawn without replacement from the intent's pool.
 */
export function buildTimeline(split: Split, customers: number, seed: number): FixtureConversation[] {
  const rng = new Random(seed);
  const reasons = [...split.pool.keys()];
  const remaining = new Map([...split.pool].map(([r, texts]) => [r, rng.shuffle([...texts])]));
  const out: FixtureConversation[] = [];
  let problemId = 0;
  for (let customer = 1; customer <= customers; customer++) {
    const problems = 3 + rng.int(3);
    const intents = rng.shuffle([...reasons]).slice(0, problems);
    for (const reasonId of intents) {
      problemId++;
      const conversations = 1 + rng.int(4);
      let at = START + rng.next() * 45 * DAY;
      let channel = CHANNELS[rng.int(CHANNELS.length)] as FixtureConversation['channel'];
      for (let k = 0; k < conversations; k++) {
        const texts = remaining.get(reasonId) as string[];
        const text = texts.pop();
        if (text === undefined) break;
        out.push({ customer, problem: problemId, reasonId, channel, at: new Date(at), text });
        at += (1 / 24 + rng.next() * 13) * DAY;
        if (rng.next() < 1 / 3) channel = CHANNELS[(CHANNELS.indexOf(channel) + 1 + rng.int(3)) % 4]!;
      }
    }
  }
  return out.sort((a, b) => a.at.getTime() - b.at.getTime() || a.customer - b.customer);
}

export type ReplayOptions = {
  /** The reason model (null: text only, no predictions). */
  model: ClassifierModel | null;
  windowDays: number;
  thresholds?: { predicted?: number; text?: number };
  /** How many of a matter's newest texts the module passes (default 10). */
  maxTexts?: number;
};

export type Replayed = {
  conversation: FixtureConversation;
  matter: number;
  decision: MatterDecision;
  /** How long `decideMatter` took (the prediction excluded: the product makes it once anyway). */
  ms: number;
};

type Matter = MatterCandidate & { customer: number };

const predictions = new WeakMap<ClassifierModel, Map<string, RankedReason[]>>();

/** The model's top three for a text, as the product keeps them (memoised per model and text). */
export function rankedOf(model: ClassifierModel, text: string): RankedReason[] {
  let cache = predictions.get(model);
  if (!cache) {
    cache = new Map();
    predictions.set(model, cache);
  }
  let ranked = cache.get(text);
  if (!ranked) {
    ranked = predict(model, text, { top: 3 }).ranked.map((r) => ({
      reasonId: Number(r.label),
      probability: r.probability,
    }));
    cache.set(text, ranked);
  }
  return ranked;
}

/**
 * Replays the timeline in time order through `decideMatter`, as the module would: the contact reason left
 * unset (text only), the customer's matters so far as the candidates (closed: the window decides).
 */
export function replay(timeline: FixtureConversation[], options: ReplayOptions): Replayed[] {
  const maxTexts = options.maxTexts ?? 10;
  const matters = new Map<number, Matter[]>();
  const out: Replayed[] = [];
  let nextMatter = 1;
  for (const c of timeline) {
    const mine = matters.get(c.customer) ?? [];
    matters.set(c.customer, mine);
    const predicted = options.model ? rankedOf(options.model, c.text) : [];
    const started = performance.now();
    const decision = decideMatter({
      reasonId: null,
      texts: [c.text],
      predicted,
      at: c.at,
      candidates: mine.map((m) => ({ ...m, texts: m.texts.slice(0, maxTexts) })),
      windowDays: options.windowDays,
      thresholds: options.thresholds,
    });
    const ms = performance.now() - started;
    let matter: Matter;
    if (decision.kind === 'join') {
      matter = mine.find((m) => m.matterId === decision.matterId) as Matter;
    } else {
      matter = {
        matterId: nextMatter++,
        customer: c.customer,
        open: false,
        lastContactAt: c.at,
        reasonIds: [],
        texts: [],
        predicted: [],
      };
      mine.push(matter);
    }
    matter.lastContactAt = c.at;
    matter.texts.unshift(c.text);
    matter.predicted.unshift(predicted);
    out.push({ conversation: c, matter: matter.matterId, decision, ms });
  }
  return out;
}

export type PairScore = {
  precision: number;
  recall: number;
  tp: number;
  fp: number;
  fn: number;
  pairs: number;
};

/** Pairs of one customer's conversations: put in the same matter, against truly about the same problem. */
export function pairScore(replayed: Replayed[]): PairScore {
  const byCustomer = new Map<number, Replayed[]>();
  for (const r of replayed) {
    const list = byCustomer.get(r.conversation.customer) ?? [];
    list.push(r);
    byCustomer.set(r.conversation.customer, list);
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let pairs = 0;
  for (const list of byCustomer.values())
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) {
        const a = list[i] as Replayed;
        const b = list[j] as Replayed;
        const same = a.matter === b.matter;
        const truth = a.conversation.problem === b.conversation.problem;
        pairs++;
        if (same && truth) tp++;
        else if (same) fp++;
        else if (truth) fn++;
      }
  return { precision: tp + fp ? tp / (tp + fp) : 1, recall: tp + fn ? tp / (tp + fn) : 1, tp, fp, fn, pairs };
}

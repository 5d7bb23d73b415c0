import { DEFAULT_FEATURES, forEachCounted, type RawFeatures, rawFeatures } from './features.js';

/**
 * Before any model: ranks labels by how much a text shares with what describes them (a reason's name and
 * description), a tf-idf cosine over the classifier's word n-grams and, equally weighted, its character
 * n-grams (so "refunds" meets "refund"). A label scores only when a word or word pair is shared: character
 * n-grams alone match almost any text a little. The score is a similarity in [0, 1], not a probability.
 */
export function rankByDescription(
  text: string,
  described: { label: string; text: string }[],
  top = 3,
): { label: string; score: number }[] {
  return rankPrepared(text, prepareDescriptions(described), top);
}

/** The descriptions' weighted vectors and idf, computed once and reused for every text (`rankPrepared`). */
export type PreparedDescriptions = {
  labels: string[];
  idf: { word: Idf; char: Idf };
  vectors: { word: Map<number, number>; char: Map<number, number> }[];
};

export function prepareDescriptions(described: { label: string; text: string }[]): PreparedDescriptions {
  const raws: RawFeatures[] = described.map((d) => rawFeatures(d.text, DEFAULT_FEATURES));
  const idf = {
    word: inverseFrequencies(raws.map((r) => r.word)),
    char: inverseFrequencies(raws.map((r) => r.char)),
  };
  return {
    labels: described.map((d) => d.label),
    idf,
    vectors: raws.map((raw) => ({ word: weigh(raw.word, idf.word), char: weigh(raw.char, idf.char) })),
  };
}

/** `rankByDescription` over descriptions prepared once. */
export function rankPrepared(
  text: string,
  prepared: PreparedDescriptions,
  top = 3,
): { label: string; score: number }[] {
  if (prepared.labels.length === 0) return [];
  const query = rawFeatures(text, DEFAULT_FEATURES);
  const q = { word: weigh(query.word, prepared.idf.word), char: weigh(query.char, prepared.idf.char) };
  const scored: { label: string; score: number }[] = [];
  prepared.vectors.forEach((v, i) => {
    const word = cosine(q.word, v.word);
    if (word <= 0) return;
    const score = 0.5 * word + 0.5 * cosine(q.char, v.char);
    scored.push({ label: prepared.labels[i]!, score });
  });
  return scored.sort((a, b) => b.score - a.score || a.label.localeCompare(b.label)).slice(0, top);
}

type Idf = { of(hash: number): number };

/** Smoothed idf over the descriptions: a feature of every description weighs little, an unseen one most. */
function inverseFrequencies(blocks: Int32Array[]): Idf {
  const df = new Map<number, number>();
  for (const block of blocks) forEachCounted(block, (h) => df.set(h, (df.get(h) ?? 0) + 1));
  const n = blocks.length;
  return { of: (h) => Math.log((n + 1) / ((df.get(h) ?? 0) + 1)) + 1 };
}

/** Sublinear tf × idf, L2-normalised. */
function weigh(block: Int32Array, idf: Idf): Map<number, number> {
  const v = new Map<number, number>();
  let norm = 0;
  forEachCounted(block, (h, count) => {
    const w = (1 + Math.log(count)) * idf.of(h);
    v.set(h, w);
    norm += w * w;
  });
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [h, w] of v) v.set(h, w / norm);
  return v;
}

function cosine(a: Map<number, number>, b: Map<number, number>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [h, w] of small) dot += w * (large.get(h) ?? 0);
  return dot;
}

/**
 * Text to sparse features: light normalisation, word tokens, hashed word uni/bi-grams and character n-grams
 * within word boundaries (fastText / scikit-learn `char_wb` style). Each feature is a 32-bit hash; the
 * vocabulary (`FeatureTable`) maps the hashes seen in training to dense column indices, so the model stores
 * only the features it learned and no string.
 */

export type FeatureConfig = {
  /** Word n-gram orders, e.g. [1, 2]. */
  wordNgrams: number[];
  /** Character n-gram lengths within ` word ` (boundaries marked by a space), inclusive. */
  charMin: number;
  charMax: number;
  /** Weight of the character block against the word block (each block is L2-normalised first). */
  charWeight: number;
  /** Ordered word pairs up to this many positions apart (0: none); bigrams are pairs 1 apart. */
  pairWindow: number;
};

export const DEFAULT_FEATURES: FeatureConfig = {
  wordNgrams: [1, 2],
  charMin: 2,
  charMax: 5,
  charWeight: 1,
  pairWindow: 0,
};

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * Lower case, HTML entities decoded, URLs, e-mail addresses and numbers folded into placeholder tokens,
 * currency signs into words, accents kept (they carry meaning in many languages).
 */
export function normalizeText(text: string): string {
  return text
    .replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, e: string) => ENTITIES[e] ?? ' ')
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .toLowerCase()
    .replace(/https?:\/\/\S+|www\.\S+/g, ' xurl ')
    .replace(/[\w.+-]+@[\w-]+\.[\w.]+/g, ' xemail ')
    .replace(/[$£€¥₹]/g, ' xcur ')
    .replace(/\d+(?:[.,:]\d+)*/g, (n) => (n.length > 4 ? ' xnum ' : ` ${n.replace(/\d/g, '0')} `))
    .replace(/[’‘`´]/g, "'");
}

const TOKEN = /[\p{L}\p{N}_]+(?:'[\p{L}]+)*|[!?]|\p{Extended_Pictographic}/gu;

/** Word tokens of normalised text (letters and digits, `!`, `?` and emoji are kept as tokens). */
export function tokenize(text: string): string[] {
  return normalizeText(text).match(TOKEN) ?? [];
}

/** FNV-1a over the UTF-16 units of `s[from, to)`, started from `seed`. */
export function hashString(s: string, seed: number, from = 0, to = s.length): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = from; i < to; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

function mix(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

const WORD_SEED = 0x1f;
const CHAR_SEED = 0x2e;

/**
 * Raw feature hashes of one text in two blocks (word, character), each sorted so that repeats of a feature
 * are adjacent (their run length is its count).
 */
export type RawFeatures = { word: Int32Array; char: Int32Array };

export function rawFeatures(text: string, config: FeatureConfig): RawFeatures {
  const tokens = tokenize(text);
  const word: number[] = [];
  const char: number[] = [];
  const hashes = tokens.map((t) => hashString(t, WORD_SEED));
  for (const n of config.wordNgrams) {
    // Orders above 1 include the sentence boundaries, so "<s> hi" differs from "hi".
    const seq = n === 1 ? hashes : [1, ...hashes, 2];
    for (let i = 0; i + n <= seq.length; i++) {
      let h = n;
      for (let j = 0; j < n; j++) h = mix(h, seq[i + j]!);
      word.push(h);
    }
  }
  for (let i = 0; i < hashes.length; i++) {
    for (let j = i + 2; j <= i + config.pairWindow && j < hashes.length; j++) {
      word.push(mix(mix(7, hashes[i]!), hashes[j]!));
    }
  }
  for (const token of tokens) {
    const padded = ` ${token} `;
    for (let len = config.charMin; len <= config.charMax; len++) {
      if (len > padded.length) break;
      for (let i = 0; i + len <= padded.length; i++)
        char.push(hashString(padded, CHAR_SEED + len, i, i + len));
    }
  }
  return { word: Int32Array.from(word).sort(), char: Int32Array.from(char).sort() };
}

/** Calls `f(hash, count)` for every distinct hash of a sorted block. */
export function forEachCounted(block: Int32Array, f: (hash: number, count: number) => void): void {
  let i = 0;
  while (i < block.length) {
    const h = block[i]!;
    let j = i + 1;
    while (j < block.length && block[j] === h) j++;
    f(h, j - i);
    i = j;
  }
}

/**
 * Open-addressing hash table from feature hash to column index (typed arrays only: fast to build from the
 * stored model and cheap to look up in the prediction loop).
 */
export class FeatureTable {
  readonly size: number;
  private readonly keys: Int32Array;
  private readonly values: Int32Array;
  private readonly mask: number;

  constructor(hashes: Int32Array) {
    this.size = hashes.length;
    let cap = 16;
    while (cap < hashes.length * 2) cap *= 2;
    this.mask = cap - 1;
    this.keys = new Int32Array(cap);
    this.values = new Int32Array(cap).fill(-1);
    hashes.forEach((h, i) => {
      let slot = mix(h, 0) & this.mask;
      while (this.values[slot] !== -1) slot = (slot + 1) & this.mask;
      this.keys[slot] = h;
      this.values[slot] = i;
    });
  }

  get(hash: number): number {
    let slot = mix(hash, 0) & this.mask;
    for (;;) {
      const v = this.values[slot]!;
      if (v === -1) return -1;
      if (this.keys[slot] === hash) return v;
      slot = (slot + 1) & this.mask;
    }
  }
}

/** A sparse row: column indices and values. */
export type SparseRow = { index: Int32Array; value: Float32Array };

/**
 * Maps raw features to a weighted sparse row: sublinear tf (1 + ln tf) times idf, each block L2-normalised,
 * the character block scaled by `charWeight`. Hashes not in the table are dropped.
 */
export function vectorize(
  raw: RawFeatures,
  table: FeatureTable,
  idf: Float32Array,
  charWeight: number,
): SparseRow {
  const index: number[] = [];
  const value: number[] = [];
  const block = (hashes: Int32Array, weight: number) => {
    const start = index.length;
    let norm = 0;
    forEachCounted(hashes, (h, tf) => {
      const col = table.get(h);
      if (col < 0) return;
      const v = (1 + Math.log(tf)) * idf[col]!;
      index.push(col);
      value.push(v);
      norm += v * v;
    });
    if (norm > 0) {
      const scale = weight / Math.sqrt(norm);
      for (let i = start; i < value.length; i++) value[i]! *= scale;
    }
  };
  block(raw.word, 1);
  block(raw.char, charWeight);
  return { index: Int32Array.from(index), value: Float32Array.from(value) };
}

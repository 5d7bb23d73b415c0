/**
 * How alike two customers' texts are, for "is this the same problem?" (issue 7). A first measure: cosine of
 * word-token count vectors (stop words dropped). Replaced by the tuned measure of the matter fixture.
 */
import { tokenize } from '../understanding/index.js';

/** A text reduced to what the similarity compares. */
export type TextProfile = Map<string, number>;

const STOP = new Set(
  "a an and are as at be but by for from has have i i'm in is it its me my of on or so that the this to was we with you your".split(
    ' ',
  ),
);

export function profileOf(texts: string[]): TextProfile {
  const profile: TextProfile = new Map();
  for (const text of texts)
    for (const token of tokenize(text))
      if (!STOP.has(token)) profile.set(token, (profile.get(token) ?? 0) + 1);
  return profile;
}

/** Cosine similarity, 0 (nothing shared) to 1 (same words in the same proportions). */
export function textSimilarity(a: TextProfile, b: TextProfile): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, v] of a) {
    na += v * v;
    const w = b.get(k);
    if (w) dot += v * w;
  }
  for (const v of b.values()) nb += v * v;
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/** At or above this, two texts are taken to be about the same problem. */
export const SIMILAR_ENOUGH = 0.5;

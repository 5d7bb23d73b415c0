import { prepareDescriptions, rankPrepared } from '../classifier/name-match.js';
import type { Labelled } from './data.js';
import { labelNameTexts } from './run.js';

export type NamesReport = {
  texts: number;
  labels: number;
  /** The true label is the first suggestion / among the three. */
  top1: number;
  top3: number;
  /** No label shares a word with the text: nothing suggested. */
  none: number;
};

/**
 * What a workspace with a taxonomy and no labels gets (`suggestFromNames`): each text ranked against the
 * labels' names alone (underscores and hyphens as spaces, no descriptions), no training.
 */
export function evaluateNames(examples: Labelled[]): NamesReport {
  const described = labelNameTexts(examples);
  const prepared = prepareDescriptions(described);
  let top1 = 0;
  let top3 = 0;
  let none = 0;
  for (const e of examples) {
    const ranked = rankPrepared(e.text, prepared, 3);
    if (ranked.length === 0) none++;
    if (ranked[0]?.label === e.label) top1++;
    if (ranked.some((r) => r.label === e.label)) top3++;
  }
  const n = Math.max(1, examples.length);
  return {
    texts: examples.length,
    labels: described.length,
    top1: top1 / n,
    top3: top3 / n,
    none: none / n,
  };
}

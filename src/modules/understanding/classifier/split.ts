/** Stratified, seeded splits: folds for cross-validation, a held-out share, N examples per class. */
import { Random } from './random.js';

function byClass(labels: readonly string[]): Map<string, number[]> {
  const groups = new Map<string, number[]>();
  labels.forEach((label, i) => {
    const g = groups.get(label);
    if (g) g.push(i);
    else groups.set(label, [i]);
  });
  return groups;
}

/**
 * The fold (0..folds-1) of every item: each class's items are shuffled and dealt round-robin, starting where
 * the previous class stopped, so every fold gets a share of every class and folds differ in size by ≤ 1.
 */
export function stratifiedFolds(labels: readonly string[], folds: number, seed: number): Int32Array {
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`folds must be an integer ≥ 2, got ${folds}`);
  const rng = new Random(seed);
  const fold = new Int32Array(labels.length);
  let next = 0;
  const classes = [...byClass(labels).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [, items] of classes) {
    rng.shuffle(items);
    for (const i of items) {
      fold[i] = next;
      next = (next + 1) % folds;
    }
  }
  return fold;
}

/**
 * Indices held out: about `share` of each class, rounded, at least one when the class has `minToSplit` or
 * more items (smaller classes stay whole in training). Returns the held-out indices and the rest.
 */
export function stratifiedHoldout(
  labels: readonly string[],
  share: number,
  seed: number,
  minToSplit = 3,
): { held: number[]; rest: number[] } {
  const rng = new Random(seed);
  const held: number[] = [];
  const rest: number[] = [];
  const classes = [...byClass(labels).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [, items] of classes) {
    rng.shuffle(items);
    const k = items.length >= minToSplit ? Math.max(1, Math.round(items.length * share)) : 0;
    held.push(...items.slice(0, k));
    rest.push(...items.slice(k));
  }
  return { held: held.sort((a, b) => a - b), rest: rest.sort((a, b) => a - b) };
}

/** Up to `n` random items of each class (seeded); indices in ascending order. */
export function samplePerClass(labels: readonly string[], n: number, seed: number): number[] {
  const rng = new Random(seed);
  const picked: number[] = [];
  const classes = [...byClass(labels).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [, items] of classes) picked.push(...rng.shuffle(items).slice(0, n));
  return picked.sort((a, b) => a - b);
}

/** `count` distinct classes picked at random (seeded), sorted. */
export function pickClasses(labels: readonly string[], count: number, seed: number): string[] {
  const all = [...new Set(labels)].sort();
  if (count >= all.length) throw new Error(`cannot hold out ${count} of ${all.length} classes`);
  return new Random(seed).shuffle(all).slice(0, count).sort();
}

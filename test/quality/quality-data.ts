/**
 * Where the quality tests find the real data (`../shared/data/`, or STEWARD_DATA_DIR), and what they do when
 * it is missing: skip with a message, or fail under CI=true (nothing may skip there).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type EvalPlan,
  type EvalReport,
  loadLabelledCsv,
  runEvaluation,
} from '../../src/modules/understanding/index.js';

export const dataDir = resolve(process.env.STEWARD_DATA_DIR ?? join(process.cwd(), '..', 'shared', 'data'));
const ci = process.env.CI === 'true' || process.env.CI === '1';

/** `skip` option for node:test: a message when the file is missing outside CI, false otherwise. */
export function skipUnlessData(relative: string): string | false {
  const file = join(dataDir, relative);
  if (existsSync(file) || ci) return false;
  return `${file} is missing: the quality tests need the shared data (see ../shared/data/README.md or set STEWARD_DATA_DIR)`;
}

/** The file's path; under CI a missing file fails the test with the same message. */
export function dataFile(relative: string): string {
  const file = join(dataDir, relative);
  if (!existsSync(file)) {
    throw new Error(`${file} is missing (CI=true: the quality tests may not skip); set STEWARD_DATA_DIR`);
  }
  return file;
}

/** One stratified fold (0 of 5) of a CSV, as `npm run eval:understanding -- --cv FILE --fold 0` runs it. */
export function evaluateFold(
  relative: string,
  columns: { text: string; label: string; filters?: { column: string; value: string; negate: boolean }[] },
  plan: Omit<EvalPlan, 'data'>,
): EvalReport {
  const examples = loadLabelledCsv(dataFile(relative), columns).examples;
  return runEvaluation({ ...plan, data: { cv: examples, folds: 5, fold: 0 } });
}

export const pct = (x: number | undefined) => `${((x ?? Number.NaN) * 100).toFixed(2)} %`;

/**
 * The gate of one figure: the target minus 3 points; where the model does not reach that yet, the
 * gate is what fold 0 measured minus 2 points (so a regression still fails the run) and the target is printed
 * beside the figure, so the gap stays in sight (issue 8 stays open for it).
 */
export function gate(what: string, value: number | undefined, target: number, reached: number | null): void {
  const floor = reached ?? target - 0.03;
  const note = reached === null ? '' : ` (target ${pct(target)} not reached yet; guarding ${pct(floor)})`;
  console.log(`${what}: ${pct(value)}${note}`);
  assert.ok(value !== undefined && value >= floor, `${what} ${pct(value)} < ${pct(floor)}`);
}

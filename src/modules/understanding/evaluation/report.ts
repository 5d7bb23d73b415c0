/** The evaluation report as text for a terminal. */
import type { EvalReport } from './run.js';

const pct = (x: number | undefined) =>
  x === undefined || Number.isNaN(x) ? '—' : `${(x * 100).toFixed(2)} %`;

export function formatReport(r: EvalReport, title: string): string {
  const lines: string[] = [];
  lines.push(`== ${title}`);
  lines.push(
    `seeds ${r.seeds.join(',')} · ${r.splits} split(s) · training on ${r.trainExamples} labelled texts on average${r.pseudoLabelled ? ` (and ${r.pseudoLabelled} unlabelled ones it labelled itself)` : ''}${r.oosTrained ? `, ${r.oosTrained} of them out of scope (learned as "none of these")` : ''} · ${r.testExamples} test texts (${r.inScopeTexts} in scope, ${r.outOfScopeTexts} out of scope) per seed`,
  );
  if (r.outOfScopeTexts > 0) {
    const lists = [...new Set(r.outOfScopeClasses.map((c) => c.join(', ')))];
    lines.push(`out-of-scope classes: ${lists.join(' | ')}`);
  }
  lines.push('');
  lines.push(`accuracy (in scope, top 1)  ${pct(r.accuracy)}`);
  lines.push(`macro-F1                    ${pct(r.macroF1)}`);
  lines.push(`majority-class baseline     ${pct(r.majorityBaseline)}`);
  if (r.lexiconZeroShot !== undefined)
    lines.push(
      `lexicon alone, zero-shot    ${pct(r.lexiconZeroShot)}  (VADER's ±0.05 cut-offs, distress read as negative; no learning)`,
    );
  if (r.outOfScopeRecall !== undefined) {
    lines.push(`in-scope accuracy           ${pct(r.inScopeAccuracy)}  (right and not flagged out of scope)`);
    lines.push(`out-of-scope recall         ${pct(r.outOfScopeRecall)}`);
  }
  lines.push(`in-scope texts flagged      ${pct(r.inScopeFlagged)}  (threshold ${r.threshold.toFixed(3)})`);
  lines.push(`calibration error (ECE)     ${r.ece.toFixed(4)}  (temperature ${r.temperature.toFixed(3)})`);
  lines.push(
    `training                    ${r.trainSeconds.toFixed(2)} s wall, ${r.trainCpuSeconds.toFixed(2)} s CPU per split`,
  );
  lines.push(
    `prediction                  ${Math.round(r.predictionsPerSecond).toLocaleString('en')} texts/s (one thread)`,
  );
  if (r.perSeed.length > 1) {
    lines.push('');
    for (const s of r.perSeed) {
      const oos =
        s.outOfScopeRecall === undefined
          ? ''
          : `  in-scope ${pct(s.inScopeAccuracy)}  oos recall ${pct(s.outOfScopeRecall)}`;
      lines.push(`seed ${String(s.seed).padEnd(4)} accuracy ${pct(s.accuracy)}${oos}`);
    }
  }
  lines.push('');
  lines.push('reliability (top prediction, in-scope texts)');
  lines.push('confidence     texts   mean conf  accuracy');
  for (const b of r.reliability) {
    const range = `${b.from.toFixed(1)}-${b.to.toFixed(1)}`;
    const conf = b.count ? b.confidence.toFixed(3) : '—';
    const acc = b.count ? b.accuracy.toFixed(3) : '—';
    lines.push(
      `${range.padEnd(12)} ${String(b.count).padStart(7)}   ${conf.padStart(9)}  ${acc.padStart(8)}`,
    );
  }
  lines.push('');
  lines.push('per class: recall (support)');
  const width = Math.max(...r.perClass.map((c) => c.label.length), 5);
  for (const c of r.perClass) {
    lines.push(`  ${c.label.padEnd(width)}  ${pct(c.recall).padStart(8)}  (${c.support})`);
  }
  return `${lines.join('\n')}\n`;
}

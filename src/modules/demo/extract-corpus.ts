/**
 * Rebuilds the committed corpus in ./data from the source sets in ../shared/data. Run it only when the
 * selection should change (the generator's output changes with it):
 *
 *   npx tsx src/modules/demo/extract-corpus.ts [path/to/shared/data]
 *
 * Only Banking77 (CC BY 4.0) and Bitext (CDLA-Sharing-1.0) are read; the non-commercial sets next to them
 * (airline-sentiment, twcs) must never end up in the repository.
 */
import { chmodSync, copyFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rngFor } from './prng.js';

const PER_INTENT = 40;
const here = dirname(fileURLToPath(import.meta.url));

/** RFC 4180 CSV: quoted fields may hold commas, doubled quotes and newlines (Bitext's responses do). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

function byIntent(file: string, textColumn: string, intentColumn: string): Map<string, string[]> {
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  if (!header) throw new Error(`${file} is empty`);
  const ti = header.indexOf(textColumn);
  const ii = header.indexOf(intentColumn);
  const groups = new Map<string, string[]>();
  for (const row of rows) {
    const text = row[ti]?.replace(/\s+/g, ' ').trim();
    const intent = row[ii]?.trim();
    if (!text || !intent) continue;
    const list = groups.get(intent) ?? [];
    if (!list.includes(text)) list.push(text);
    groups.set(intent, list);
  }
  return groups;
}

/** A seeded sample, so re-running the extraction on the same files gives the same corpus. */
function sample(source: string, groups: Map<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const intent of [...groups.keys()].sort()) {
    const list = [...(groups.get(intent) ?? [])];
    const rng = rngFor('corpus', source, intent);
    for (let i = list.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [list[i], list[j]] = [list[j] as string, list[i] as string];
    }
    out[intent] = list.slice(0, PER_INTENT);
  }
  return out;
}

/** One text per line, as Biome formats JSON: a change to the selection reads well in a diff. */
function toJson(groups: Record<string, string[]>): string {
  return `${JSON.stringify(groups, null, 2)}\n`;
}

function main(): void {
  const shared = process.argv[2] ?? join(process.cwd(), '..', 'shared', 'data');
  const banking = sample('banking77', byIntent(join(shared, 'banking77', 'train.csv'), 'text', 'category'));
  const bitextFile = readdirSync(join(shared, 'bitext')).find((f) => f.endsWith('.csv'));
  if (!bitextFile) throw new Error('no Bitext CSV found');
  const bitext = sample('bitext', byIntent(join(shared, 'bitext', bitextFile), 'instruction', 'intent'));
  writeFileSync(join(here, 'data', 'banking77.json'), toJson(banking));
  writeFileSync(join(here, 'data', 'bitext.json'), toJson(bitext));
  for (const [from, to] of [
    [join(shared, 'banking77', 'LICENSE.txt'), 'LICENSE-banking77.txt'],
    [join(shared, 'bitext', 'LICENSE.txt'), 'LICENSE-bitext.txt'],
  ] as const) {
    copyFileSync(from, join(here, 'data', to));
    chmodSync(join(here, 'data', to), 0o644);
  }
  const count = (o: Record<string, string[]>) => Object.values(o).reduce((n, l) => n + l.length, 0);
  console.log(
    `banking77: ${Object.keys(banking).length} intents, ${count(banking)} texts; ` +
      `bitext: ${Object.keys(bitext).length} intents, ${count(bitext)} texts`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();

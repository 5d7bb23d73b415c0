import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The committed text sets (see data/ATTRIBUTION.md). Never add a non-commercial set here. */
export const corpusSources = ['banking77', 'bitext'] as const;
export type CorpusSource = (typeof corpusSources)[number];

const dataDir = join(dirname(fileURLToPath(import.meta.url)), 'data');

/** `Refund_not_showing_up` -> `refund_not_showing_up`, `reverted_card_payment?` -> `reverted_card_payment`. */
export function normaliseIntent(intent: string): string {
  return intent
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export function reasonKeyFor(source: CorpusSource, intent: string): string {
  return `${source}:${normaliseIntent(intent)}`;
}

let cached: ReadonlyMap<string, readonly string[]> | undefined;

/** Customer texts by reason key (`banking77:card_arrival`). Read once, on first use. */
export function loadCorpus(): ReadonlyMap<string, readonly string[]> {
  if (cached) return cached;
  const corpus = new Map<string, readonly string[]>();
  for (const source of corpusSources) {
    const groups = JSON.parse(readFileSync(join(dataDir, `${source}.json`), 'utf8')) as Record<
      string,
      string[]
    >;
    for (const [intent, texts] of Object.entries(groups)) {
      if (texts.length > 0) corpus.set(reasonKeyFor(source, intent), texts);
    }
  }
  cached = corpus;
  return corpus;
}

export function corpusTexts(reasonKey: string): readonly string[] {
  const texts = loadCorpus().get(reasonKey);
  if (!texts) throw new Error(`no corpus texts for contact reason ${reasonKey}`);
  return texts;
}

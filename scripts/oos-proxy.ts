/**
 * An out-of-scope set of the CLINC150 kind from the shared data: Banking77's 77 intents in scope (one
 * stratified fold of 5 as the test, the rest to train on), and Bitext's e-commerce support requests (orders,
 * deliveries, accounts, refunds, invoices: customer-service texts of another business) out of scope, 100 of
 * them in the training set labelled `oos` and 1,000 others in the test set, as CLINC150 has 100 out-of-scope
 * training texts and 1,000 test ones.
 *
 *   npx tsx scripts/oos-proxy.ts [DIR]     # writes DIR/oos-proxy-train.csv and DIR/oos-proxy-test.csv
 *   npm run eval:understanding -- --train DIR/oos-proxy-train.csv --test DIR/oos-proxy-test.csv \
 *     --label label --oos-label oos
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { Random } from '../src/modules/understanding/classifier/random.js';
import { stratifiedFolds } from '../src/modules/understanding/classifier/split.js';
import { type Labelled, loadLabelledCsv, loadTextsCsv } from '../src/modules/understanding/index.js';

export const OOS_PROXY_LABEL = 'oos';
const BITEXT = 'bitext/Bitext_Sample_Customer_Support_Training_Dataset_4514_2023-09-19.csv';

export function oosProxy(dataDir: string, seed = 1): { train: Labelled[]; test: Labelled[] } {
  const banking = loadLabelledCsv(join(dataDir, 'banking77/train.csv'), {
    text: 'text',
    label: 'category',
  }).examples;
  const folds = stratifiedFolds(
    banking.map((e) => e.label),
    5,
    seed,
  );
  const requests = new Random(seed).shuffle([...new Set(loadTextsCsv(join(dataDir, BITEXT), 'instruction'))]);
  const oos = (texts: string[]) => texts.map((text) => ({ text, label: OOS_PROXY_LABEL }));
  return {
    train: [...banking.filter((_, i) => folds[i] !== 0), ...oos(requests.slice(0, 100))],
    test: [...banking.filter((_, i) => folds[i] === 0), ...oos(requests.slice(100, 1100))],
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = resolve(process.argv[2] ?? '.');
  const { train, test } = oosProxy(resolve(process.env.STEWARD_DATA_DIR ?? '../shared/data'));
  for (const [name, rows] of [
    ['oos-proxy-train.csv', train],
    ['oos-proxy-test.csv', test],
  ] as const) {
    writeFileSync(join(dir, name), stringify(rows, { header: true, columns: ['text', 'label'] }));
  }
  process.stdout.write(
    `wrote ${join(dir, 'oos-proxy-train.csv')} (${train.length} rows) and ${join(dir, 'oos-proxy-test.csv')} (${test.length})\n`,
  );
}

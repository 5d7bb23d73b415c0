import { reasonKeyFor } from './corpus.js';
import type { ContactReason, ReasonEntry } from './reason-types.js';
import { banking77Reasons } from './reasons-banking77.js';
import { bitextReasons } from './reasons-bitext.js';

function toReasons(source: ContactReason['source'], entries: readonly ReasonEntry[]): ContactReason[] {
  return entries.map(([intent, subject, avoidable, department, weight, priority]) => ({
    key: reasonKeyFor(source, intent),
    source,
    intent,
    subject,
    avoidable,
    department,
    weight,
    ...(priority ? { priority } : {}),
  }));
}

/** Every contact reason the demo company sees, each backed by real customer texts in the corpus. */
export const reasonCatalogue: readonly ContactReason[] = [
  ...toReasons('banking77', banking77Reasons),
  ...toReasons('bitext', bitextReasons),
];

const byKey = new Map(reasonCatalogue.map((r) => [r.key, r]));

export function findReason(key: string): ContactReason | undefined {
  return byKey.get(key);
}

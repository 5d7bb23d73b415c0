import type { DistressSignal, SentimentLabel } from '../../db/schema/understanding.js';
import { type DistressFinding, findDistress } from './distress.js';
import { lexiconSentiment } from './sentiment.js';

export type Analysis = { score: number; label: SentimentLabel; findings: DistressFinding[] };

/** What Steward reads in one customer message: its sentiment and its distress, with the words why. */
export function analyseMessage(text: string): Analysis {
  const { score, label } = lexiconSentiment(text);
  return { score, label, findings: findDistress(text, score) };
}

export const signalsOf = (a: Analysis): DistressSignal[] => a.findings.map((f) => f.signal);

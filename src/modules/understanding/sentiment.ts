import vader from 'vader-sentiment';
import type { SentimentLabel } from '../../db/schema/understanding.js';

/** VADER's own cut-offs on its compound score (Hutto & Gilbert 2014): at or beyond ±0.05 is not neutral. */
export const NEUTRAL_BAND = 0.05;

/** The longest text scored: VADER's cost grows with length, and a message's tone shows long before this. */
const MAX_SCORED_CHARS = 5000;

export type Sentiment = { score: number; label: SentimentLabel };

export const labelOfScore = (score: number): SentimentLabel =>
  score >= NEUTRAL_BAND ? 'positive' : score <= -NEUTRAL_BAND ? 'negative' : 'neutral';

/** The middle of each label's band (the lexicon's compound score runs from -1 to 1). */
const LABEL_MIDDLE: Record<SentimentLabel, number> = { negative: -0.5, neutral: 0, positive: 0.5 };

/**
 * A message's score as shown and as the change of a customer's mood is measured: the lexicon's, unless the
 * message's label (distress read as negative, the workspace's model, an agent's correction) says otherwise;
 * then the middle of that label's band. "Negative" never shows beside +0.30, and a message corrected from
 * negative to neutral moves the mood up, not down.
 */
export const moodScore = (score: number, label: SentimentLabel): number =>
  labelOfScore(score) === label ? score : LABEL_MIDDLE[label];

/**
 * The lexicon baseline: VADER's compound score (-1 very negative .. 1 very positive) of a customer's text and
 * its label. It works from the first message, with no labels; English only.
 */
export function lexiconSentiment(text: string): Sentiment {
  const scored = text.length > MAX_SCORED_CHARS ? text.slice(0, MAX_SCORED_CHARS) : text;
  const raw = scored.trim() === '' ? 0 : vader.SentimentIntensityAnalyzer.polarity_scores(scored).compound;
  const score = Number.isFinite(raw) ? Math.round(raw * 10_000) / 10_000 : 0;
  return { score, label: labelOfScore(score) };
}

/**
 * VADER's four scores of a text (compound, positive, neutral, negative shares) as features for a learned
 * model: the lexicon's reading, which labels then correct.
 */
export function lexiconFeatures(text: string): number[] {
  const scored = text.length > MAX_SCORED_CHARS ? text.slice(0, MAX_SCORED_CHARS) : text;
  if (scored.trim() === '') return [0, 0, 1, 0];
  const s = vader.SentimentIntensityAnalyzer.polarity_scores(scored);
  return [s.compound, s.pos, s.neu, s.neg].map((x) => (Number.isFinite(x) ? x : 0));
}

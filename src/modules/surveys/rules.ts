import type { Channel } from '../../db/schema/conversations.js';
import type { SurveyOverride, SurveyQuestions } from '../../db/schema/surveys.js';

/**
 * The pure rules of the follow-up after resolution: no I/O, time is a parameter.
 *
 * The figures (PRODUCT.md, "Definitions that must be exact"), computed in SQL by figures.repo.ts:
 * - CSAT: answers on a 1-5 scale; the figure is the share of 4 and 5 among all CSAT answers, in percent.
 * - CES (customer effort, "how easy was it to get your issue resolved?"): 1-7; the figure is the mean.
 * - NPS: 0-10; the figure is % promoters (9-10) minus % detractors (0-6) among all NPS answers.
 */

export type FollowUpSettings = {
  enabled: boolean;
  delayMinutes: number;
  reminderMinutes: number | null;
  expireMinutes: number;
  fatigueDays: number;
  questions: SurveyQuestions;
  overrides: SurveyOverride[];
  reopenOnNotFixed: boolean;
  reopenAtOrBelowCsat: number | null;
};

/** What a workspace without settings has: switched off, and these values once switched on. */
export const defaultSettings: FollowUpSettings = {
  enabled: false,
  delayMinutes: 2880,
  reminderMinutes: 1440,
  expireMinutes: 10080,
  fatigueDays: 30,
  questions: { csat: true, ces: true, nps: false, comment: true },
  overrides: [],
  reopenOnNotFixed: true,
  reopenAtOrBelowCsat: 2,
};

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * The questions for a conversation on `channel` of a customer of `tier`: the workspace's, then every
 * override that matches (all its given fields), in order; a later one wins. Tiers compare case-insensitively.
 */
export function questionsFor(
  settings: Pick<FollowUpSettings, 'questions' | 'overrides'>,
  channel: Channel,
  tier: string | null,
): SurveyQuestions {
  const result = { ...settings.questions };
  for (const o of settings.overrides) {
    if (o.channel && o.channel !== channel) continue;
    if (o.tier && o.tier.toLowerCase() !== (tier ?? '').toLowerCase()) continue;
    Object.assign(result, o.questions);
  }
  return result;
}

export const checkInTime = (solvedAt: Date, s: Pick<FollowUpSettings, 'delayMinutes'>) =>
  new Date(solvedAt.getTime() + s.delayMinutes * MINUTE);
export const reminderTime = (sentAt: Date, s: Pick<FollowUpSettings, 'reminderMinutes'>) =>
  s.reminderMinutes === null ? null : new Date(sentAt.getTime() + s.reminderMinutes * MINUTE);
export const expiryTime = (sentAt: Date, s: Pick<FollowUpSettings, 'expireMinutes'>) =>
  new Date(sentAt.getTime() + s.expireMinutes * MINUTE);

/** Since when an earlier survey keeps this customer from being asked again at `at` (survey fatigue). */
export const fatigueSince = (at: Date, s: Pick<FollowUpSettings, 'fatigueDays'>) =>
  new Date(at.getTime() - s.fatigueDays * DAY);

export type Answers = {
  fixed?: boolean | null;
  csat?: number | null;
  ces?: number | null;
  nps?: number | null;
  comment?: string | null;
};

const FIXED =
  /^(yes|yep|yes,? (it is|it's) (fixed|solved)|(it is |it's )?(fixed|solved)|all good|ja|ja,? (es ist )?(behoben|gelöst)|behoben|gelöst)$/;
const NOT_FIXED =
  /^(no|nope|no,? (it is|it's) not (fixed|solved)|(it is |it's )?not (fixed|solved)|nein|nein,? (es ist )?nicht (behoben|gelöst)|nicht (behoben|gelöst))$/;

/**
 * A reply to the check-in that is only an answer: "yes" / "fixed" (fixed), "no" / "not fixed" (not fixed), or a
 * lone digit 1-5 (the CSAT), in English or German, punctuation around it allowed. Anything more is a message
 * for the agent, not an answer (null): "no idea, the light still blinks" is not a "no".
 */
export function readReplyAnswer(text: string): Answers | null {
  const line = text
    .trim()
    .toLowerCase()
    .replace(/^[\s"'“„(*-]+/u, '')
    .replace(/[\s.!?,;:)"'“”*-]+$/u, '')
    .replace(/\s+/g, ' ');
  if (line.length === 0 || line.length > 40 || /\n/.test(text.trim())) return null;
  if (/^[1-5]$/.test(line)) return { csat: Number(line) };
  if (FIXED.test(line)) return { fixed: true };
  if (NOT_FIXED.test(line)) return { fixed: false };
  return null;
}

/** "Not fixed", or a CSAT at or below the threshold, reopens the conversation (each as configured). */
export function shouldReopen(
  s: Pick<FollowUpSettings, 'reopenOnNotFixed' | 'reopenAtOrBelowCsat'>,
  a: Answers,
): boolean {
  if (s.reopenOnNotFixed && a.fixed === false) return true;
  return s.reopenAtOrBelowCsat !== null && typeof a.csat === 'number' && a.csat <= s.reopenAtOrBelowCsat;
}

/** Channels the check-in can travel on (Steward has no way to call a customer back by itself). */
export const surveyChannels: readonly Channel[] = [
  'email',
  'chat',
  'webform',
  'sms',
  'whatsapp',
  'social',
  'api',
];

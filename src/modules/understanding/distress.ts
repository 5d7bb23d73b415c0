import type { DistressSignal } from '../../db/schema/understanding.js';

/** One signal and the words of the message that raised it: what the agent is shown as "why". */
export type DistressFinding = { signal: DistressSignal; phrase: string };

/** A tone at or below this compound score is angry in itself, whatever the words. */
const ANGRY_SCORE = -0.75;

/**
 * The phrases of each signal, as the customer would write them (English, case-insensitive, on word
 * boundaries). These are the issue's own examples ("cancel my subscription", "switching to", "third time",
 * "still waiting", "nobody answers", "transferred", "I already explained") widened to their common forms; the
 * tone itself comes from the sentiment lexicon, not from here.
 */
const patterns: Record<DistressSignal, RegExp[]> = {
  anger: [
    /\b(?:angry|furious|outraged|livid|fuming|disgusted|appalled|infuriat\w+|pissed off|fed up|sick (?:and tired )?of|had enough)\b/,
    /\b(?:ridiculous|unacceptable|outrageous|pathetic|disgraceful|shameful|a joke|a scam|rip[- ]?off|incompetent|worst (?:service|company|experience))\b/,
    /\b(?:wtf|what the hell|this is insane)\b/,
  ],
  urgency: [
    /\b(?:urgent(?:ly)?|asap|a\.s\.a\.p|as soon as possible|immediately|right away|emergency|time[- ]sensitive)\b/,
    /\b(?:need (?:it|this|them|a (?:reply|response|fix)) (?:today|now|by tomorrow)|can(?:no|')t wait (?:any ?longer|much longer)?)\b/,
  ],
  churn_threat: [
    /\bcancel(?:l?ing)? (?:my|our|the) (?:subscription|account|membership|contract|plan|service|policy)\b/,
    /\bclos(?:e|ing) (?:my|our) account\b/,
    /\b(?:switch(?:ing)?|mov(?:e|ing)|go(?:ing)?) (?:over )?to (?:a |another )?(?:competitor|provider|bank|company|\w+ instead)\b/,
    /\bswitching to\b/,
    /\b(?:take|taking) (?:my|our) (?:business|money|custom) (?:elsewhere|somewhere else)\b/,
    /\b(?:leav(?:e|ing) (?:you|your company|this company)|never (?:use|buy|order|fly|book) (?:\w+ )?(?:from |with )?(?:you|again)|done with (?:you|this company)|last time I (?:use|buy|order|book))\b/,
  ],
  legal_threat: [
    /\b(?:lawyers?|attorneys?|solicitors?|legal action|lawsuit|sue|suing|small claims|court|ombudsman|regulator|trading standards|consumer protection|better business bureau|bbb|cfpb|fca)\b/,
    /\b(?:report(?:ing)? (?:you|this|your company)|(?:post|share|tell)(?:ing)? (?:this|it|everyone) (?:on|online|publicly)|social media|the press|journalists?|the news|(?:bad|negative|1[- ]star|one[- ]star) reviews?)\b/,
  ],
  repeat_contact: [
    /\b(?:second|third|fourth|fifth|2nd|3rd|4th|5th|\d+th|umpteenth|nth|several|many) time\b/,
    /\b(?:yet again|once again|again and again|(?:writing|contacting|asking|calling|emailing|happened|happening|broken|wrong) (?:to you |you )?again)\b/,
    /\bstill (?:waiting|not|no|nothing|haven't|hasn't|have not|has not|don't|doesn't|isn't|can't|unresolved|broken)\b/,
    /\b(?:already (?:contacted|called|emailed|e-mailed|written|wrote|reported|told|asked|complained)|keep (?:calling|writing|asking|emailing|chasing)|(?:called|emailed|written|wrote|contacted you) (?:\w+ )?(?:several|many|multiple|\d+|three|four|five) times)\b/,
  ],
  high_effort: [
    /\b(?:nobody|no one|no-one|noone) (?:(?:ever|even) )?(?:answers|answered|replies|replied|responds|responded|gets back|got back|helps|helped|picks up|calls? back|is answering)\b/,
    // Transferred as a person is, not as money is ("my money hasn't been transferred yet" is no effort).
    /\b(?:(?:i|we) (?:was|were|got|get|keep getting|kept getting|(?:have|'ve) been|had been) transferred|transferred (?:me|us)|transferred (?:again|around|back and forth|from one|between (?:departments|agents|people|teams))|passed (?:around|from one|between)|bounced (?:around|between)|on hold for|waited (?:for )?(?:hours|an hour|days|weeks|\d+)|waiting (?:for )?(?:hours|days|weeks))\b/,
    /\b(?:(?:i|we) (?:have |had )?already (?:explained|sent|provided|given|filled)|explain(?:ing)? (?:it |this |everything )?(?:all )?(?:over )?again|repeat(?:ing)? myself|runaround|run around|jump(?:ing)? through hoops|(?:round|around) in circles|hung up on me|got disconnected)\b/,
  ],
};

const signalOrder = Object.keys(patterns) as DistressSignal[];

/** Typographic apostrophes and runs of white space read as the plain ones the patterns are written with. */
const normalise = (text: string) => text.replace(/[\u2018\u2019\u02bc]/g, "'").replace(/\s+/g, ' ');

/** Three or more words in capitals in a row, with ten capitals or more (not a run of acronyms): shouting. */
const SHOUTING = /\b[A-Z]{2,}(?:[ ,.!?']+[A-Z]{2,}){2,}\b/g;
const shouting = (text: string) =>
  text.match(SHOUTING)?.find((run) => run.replace(/[^A-Z]/g, '').length >= 10) ?? null;

/**
 * The distress signals of a customer's message, each with the words that raised it, in a fixed order.
 * Anger is also read from the tone: shouting in capitals, or a very negative lexicon score.
 */
export function findDistress(text: string, sentimentScore: number): DistressFinding[] {
  const plain = normalise(text.length > 20_000 ? text.slice(0, 20_000) : text);
  const lower = plain.toLowerCase();
  const found: DistressFinding[] = [];
  for (const signal of signalOrder) {
    for (const re of patterns[signal]) {
      const m = re.exec(lower);
      if (m) {
        found.push({ signal, phrase: plain.slice(m.index, m.index + m[0].length) });
        break;
      }
    }
  }
  if (!found.some((f) => f.signal === 'anger')) {
    const phrase = shouting(plain) ?? (sentimentScore <= ANGRY_SCORE ? 'a very negative tone' : null);
    if (phrase) found.splice(0, 0, { signal: 'anger', phrase });
  }
  return found;
}

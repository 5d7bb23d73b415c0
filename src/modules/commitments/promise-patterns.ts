/**
 * Promises in an agent's outbound reply: a pure rule from the reply's text to the promises it seems to make,
 * each with the phrase of its due time when it names one. A suggestion only: the agent confirms or dismisses.
 *
 * A sentence is a promise when it commits us to something:
 * - "I will|I'll|we will|we'll|I am going to|we're going to|I promise|we promise …" followed by an action
 *   (not "I will be out of office" kinds of talk about ourselves: "be", "have been" are skipped);
 * - "get back to you", "call you back", "follow up" with a time;
 * - "within N (business|working) days|hours".
 * Quoted text (lines starting with ">") and sentences longer than 300 characters are ignored; at most
 * MAX_PROMISES per message.
 */

export type FoundPromise = { text: string; duePhrase: string | null };

export const MAX_PROMISES = 3;

const commitment =
  /\b(i will|i'll|i’ll|we will|we'll|we’ll|i am going to|i'm going to|we are going to|we're going to|i promise|we promise|i shall|we shall)\s+(?!be\b|have been\b|not\b|never\b)\w+/i;
const followUp = /\b(get back to you|call you back|follow up|come back to you|reach out)\b/i;
const within =
  /\bwithin\s+(\d+|one|two|three|four|five|six|seven|ten|a|an)\s+(business |working )?(hour|day|week)s?\b/i;

/** Time phrases inside a sentence, in the form parseDuePhrase reads. */
const duePatterns: Array<[RegExp, (m: RegExpExecArray) => string]> = [
  [within, (m) => `in ${m[1]} ${m[2] ?? ''}${m[3]}s`.replace(/\s+/g, ' ')],
  [
    /\bin\s+(\d+|one|two|three|four|five|a|an)\s+(business |working )?(hour|day|week)s?\b/i,
    (m) => `in ${m[1]} ${m[2] ?? ''}${m[3]}s`.replace(/\s+/g, ' '),
  ],
  [
    /\b(tomorrow|today|monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:\s+(?:at|by)\s+(\d{1,2}(?::\d{2})?\s*(?:am|pm)?))?/i,
    (m) => (m[2] ? `${m[1]} at ${m[2]}` : m[1]!),
  ],
  [/\b(end of (?:the )?(?:business )?day|eod|close of business)\b/i, (m) => m[1]!],
];

function dueIn(sentence: string): string | null {
  for (const [pattern, form] of duePatterns) {
    const m = pattern.exec(sentence);
    if (m) return form(m).toLowerCase().trim();
  }
  return null;
}

export function findPromises(body: string): FoundPromise[] {
  const text = body
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('>'))
    .join(' ')
    .replace(/\s+/g, ' ');
  const sentences = text.split(/(?<=[.!?])\s+/);
  const found: FoundPromise[] = [];
  for (const raw of sentences) {
    const sentence = raw.trim();
    if (sentence.length < 8 || sentence.length > 300) continue;
    const due = dueIn(sentence);
    const promised =
      commitment.test(sentence) || within.test(sentence) || (followUp.test(sentence) && due !== null);
    if (!promised) continue;
    found.push({ text: sentence, duePhrase: due });
    if (found.length === MAX_PROMISES) break;
  }
  return found;
}

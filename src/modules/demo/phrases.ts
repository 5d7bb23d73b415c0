import type { Rng } from './prng.js';
import type { Department } from './reason-types.js';

/**
 * What agents (and customers, after their first message) write. Customers' first words come from the
 * real-language corpus; everything after is templated, which is fine: it is the first message of a contact
 * that features like reason prediction and matter detection read.
 */
type Topic = 'card' | 'money' | 'order' | 'account' | 'general';

const topicOf: Record<Department, Topic> = {
  'Card operations': 'card',
  'Risk & fraud': 'card',
  Payments: 'money',
  Billing: 'money',
  Compliance: 'account',
  Accounts: 'account',
  Product: 'general',
  Orders: 'order',
  Logistics: 'order',
  Sales: 'order',
  'Customer service': 'general',
  Marketing: 'general',
};

const questions: Record<Topic, readonly string[]> = {
  card: [
    'So I can look into this, could you confirm the last four digits of the card?',
    'Could you tell me when you last used the card successfully, and where?',
    'Can you confirm the address we should send the card to?',
  ],
  money: [
    'Could you send me the date and the exact amount of the payment, so I can find it?',
    'Can you tell me which account the money was sent from, and when?',
    'Could you share a screenshot of the transaction as it shows in the app?',
  ],
  order: [
    'Could you send me your order number? It starts with the year and is on your confirmation email.',
    'Can you confirm the delivery address and the order number?',
    'Which item is it about, and roughly when did you place the order?',
  ],
  account: [
    'Could you confirm the email address your account is registered with?',
    'Which step of the process shows the error, and what does the message say?',
    'Can you confirm your date of birth and postcode so I can find your account?',
  ],
  general: [
    'Could you give me a little more detail so I can point you in the right direction?',
    'Can you tell me which device and app version you are using?',
    'Could you confirm the email address on your account?',
  ],
};

const resolutions: Record<Topic, readonly string[]> = {
  card: [
    "I've cancelled the old card and ordered a replacement; it should arrive within 3-5 working days.",
    "I've reset the card on our side. Please try it again now; it should work straight away.",
    "I've checked the card status and it's active again. You can also freeze and unfreeze it in the app.",
  ],
  money: [
    "I've found the payment. It was held for a routine check and has now been released to your account.",
    "I've raised a refund for the duplicate amount; you'll see it on your statement within 3-5 working days.",
    "The fee was applied in error, so I've refunded it. It should show in your balance today.",
    'The transfer has now completed on our side; the receiving bank can take up to one working day.',
  ],
  order: [
    "I've checked with the courier: your parcel is on its way and should arrive within 2 working days.",
    "I've updated your order as requested and sent you a new confirmation email.",
    "I've cancelled the order and issued a full refund to your original payment method.",
    'Your order left our warehouse this morning; the tracking link is in the email I just sent.',
  ],
  account: [
    "I've updated your details; the change is visible in the app now.",
    "I've sent you a link to reset your password; it's valid for 24 hours.",
    'Your verification has gone through, so you have full access to your account again.',
  ],
  general: [
    "I've sent you a short guide by email that walks through the steps.",
    'You can do this in the app under Settings; I have also made the change for you this time.',
    "Thanks for your feedback; I've passed it on to the team responsible.",
  ],
};

/** Value demand: the customer asked how something works; the agent explains. */
const answers: Record<Topic, readonly string[]> = {
  card: [
    'You can do this in the app under Cards > Manage card; it takes effect straight away.',
    'A new card usually arrives within 3-5 working days, and you can track it in the app.',
  ],
  money: [
    'We use the market rate on weekdays with a small markup at weekends; the app shows the exact rate before you confirm.',
    'Transfers in the same currency usually arrive within one working day; international ones take 1-3 days.',
    'The full list of fees is on our pricing page; in your case there is no charge.',
  ],
  order: [
    'You can change or cancel an order in your account until it is dispatched; after that, a return is easiest.',
    'Standard delivery takes 2-4 working days; express orders placed before 2 pm arrive the next working day.',
  ],
  account: [
    'You can update this yourself under Settings > Personal details; I have checked and the change is saved.',
    'We are required by law to verify identity; it only needs a photo of your ID and takes a few minutes.',
  ],
  general: [
    "I've sent you a short guide by email that walks through the steps.",
    'You can do this in the app under Settings; I have also made the change for you this time.',
    "Thanks for your feedback; I've passed it on to the team responsible.",
  ],
};

const holding: readonly string[] = [
  "Thanks for the details. I've passed this to our specialist team and will update you as soon as I hear back.",
  "Thank you. I'm looking into this now and will get back to you shortly.",
  "Thanks. I'm checking this with the team responsible and will come back to you today.",
];

const notes: Record<Topic, readonly string[]> = {
  card: ['Card status checked: active, no blocks.', 'Asked card ops to check the dispatch batch.'],
  money: [
    'Payment found in the ledger, held by the risk rule.',
    'Duplicate charge confirmed in the processor log.',
  ],
  order: [
    'Called the courier: parcel held at the depot.',
    'Warehouse confirms the item was dispatched late.',
  ],
  account: ['Identity check failed twice on the provider side.', 'Account flagged for a manual review.'],
  general: ['Customer was polite but frustrated.', 'Checked the knowledge base; no article covers this yet.'],
};

const vipNotes: readonly string[] = [
  'Long-standing customer: be generous if we got this wrong.',
  'High-value customer, keep them posted.',
];

const customerDetails: Record<Topic, readonly string[]> = {
  card: ['The card ends in {digits}.', "It's the card ending {digits}, I used it last on Friday."],
  money: ['It was {amount} on {day}.', 'The amount was {amount}, sent on {day}. Screenshot attached.'],
  order: ['My order number is {order}.', 'Order {order}, delivery to my home address.'],
  account: ['It is the email I am writing from.', 'The error says "verification failed, try again later".'],
  general: ['I am using the app on my phone, latest version.', 'Here are the details you asked for.'],
};

const chasers: readonly string[] = [
  'Any news on this?',
  "I still haven't heard back. Can someone please look at this?",
  'Following up on my message from the other day.',
  'Hello? This is urgent for me.',
];

/** A customer who has had no answer yet writes again: first impatient, then upset (each shows distress). */
export const waitingChasers: readonly (readonly string[])[] = [
  [
    "I still haven't heard back from anyone. This is urgent.",
    'Nobody answered my message. I need a reply today, please.',
    'Second time writing about this: is anyone looking at it?',
    'Hello? Is anyone there? This is urgent for me.',
    "I'm still waiting for an answer to my message above.",
  ],
  [
    "This is unacceptable. I've been waiting for hours and nobody replies.",
    "Third time I'm writing. If this isn't sorted today I'm closing my account.",
    "Still no answer. I'm seriously thinking about switching to another provider.",
    'I have already written twice and nobody answers. I will leave a one-star review if this goes on.',
    'Still nothing. If I do not hear back today I will take this to the ombudsman.',
  ],
];

const repeatOpeners: readonly string[] = [
  "I contacted you about this already and it still isn't sorted. ",
  'Second time asking: ',
  'I was told this would be fixed, but ',
  'Following up on my previous conversation: ',
  '',
];

const notFixed: readonly string[] = [
  "Sorry, but it still isn't working.",
  "This hasn't solved it, the problem is still there.",
  'Nothing has changed on my side, it is still the same.',
];

const thanks: readonly string[] = [
  'Thanks!',
  'Thank you, that sorted it.',
  'Great, thanks for your help.',
  'Perfect, thanks.',
];

const apologies: readonly string[] = [
  "I'm sorry this still isn't resolved.",
  "I'm sorry you've had to come back to us about this.",
  'Apologies for the trouble.',
];

const weekdays = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

function fill(text: string, rng: Rng, currency: string): string {
  return text
    .replace('{digits}', String(rng.between(1000, 9999)))
    .replace('{order}', `${rng.between(2024, 2026)}-${rng.between(100000, 999999)}`)
    .replace('{amount}', `${currency}${(rng.between(500, 50000) / 100).toFixed(2)}`)
    .replace('{day}', rng.pick(weekdays));
}

export type Voice = { channel: string; customerFirstName: string; agentFirstName: string; currency: string };

function wrap(voice: Voice, body: string, rng: Rng): string {
  if (voice.channel === 'email' || voice.channel === 'webform') {
    const hello = rng.pick(['Hi', 'Hello', 'Dear']);
    const bye = rng.pick(['Best regards', 'Kind regards', 'Many thanks']);
    return `${hello} ${voice.customerFirstName},\n\n${body}\n\n${bye},\n${voice.agentFirstName}`;
  }
  if (voice.channel === 'phone') return `Call with customer. ${body}`;
  return `${rng.pick(['Hi', 'Hello'])} ${voice.customerFirstName}! ${body}`;
}

export const phrases = {
  question: (v: Voice, d: Department, rng: Rng) => wrap(v, rng.pick(questions[topicOf[d]]), rng),
  holding: (v: Voice, rng: Rng) => wrap(v, rng.pick(holding), rng),
  resolution: (v: Voice, d: Department, avoidable: boolean, rng: Rng, sorry: boolean) =>
    wrap(
      v,
      `${sorry ? `${rng.pick(apologies)} ` : ''}${rng.pick((avoidable ? resolutions : answers)[topicOf[d]])}`,
      rng,
    ),
  stillWaiting: (v: Voice, rng: Rng) =>
    wrap(
      v,
      rng.pick([
        'We have not heard back from you, so I will close this for now.',
        'I will close this for now; just reply if you still need help.',
      ]),
      rng,
    ),
  note: (d: Department, rng: Rng, vip: boolean) =>
    vip && rng.chance(0.4) ? rng.pick(vipNotes) : rng.pick(notes[topicOf[d]]),
  detail: (d: Department, rng: Rng, currency: string) =>
    fill(rng.pick(customerDetails[topicOf[d]]), rng, currency),
  chaser: (rng: Rng) => rng.pick(chasers),
  waitingChaser: (rng: Rng, round: 1 | 2) => rng.pick(waitingChasers[round - 1] ?? []),
  repeatOpener: (rng: Rng) => rng.pick(repeatOpeners),
  notFixed: (rng: Rng) => rng.pick(notFixed),
  thanks: (rng: Rng) => rng.pick(thanks),
};

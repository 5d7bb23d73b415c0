import type { ConversationStatus } from '../../db/schema/conversations.js';

/** The words of the public pages' chrome, in the two shipped languages (the texts a workspace may reword are templates). */
const en = {
  name: 'Your name',
  email: 'Your e-mail address',
  phone: 'Phone (optional)',
  subject: 'Subject (optional)',
  message: 'Your message',
  files: 'Attachments (optional, up to 5 files)',
  send: 'Send',
  honeypot: 'Leave this field empty',
  notFound: 'This page does not exist.',
  signInIntro: 'Enter your e-mail address and we will send you a link to see your requests.',
  signInSend: 'Send me a link',
  linkSent:
    'If we know this address, a sign-in link is on its way. It works once, for 30 minutes. Check your inbox.',
  signInButton: 'Sign in',
  signInConfirm: 'Press the button to sign in to your requests.',
  linkInvalid: 'This link is unknown, used or expired. Ask for a new one.',
  askAgain: 'Ask for a new link',
  signOut: 'Sign out',
  none: 'You have no requests yet.',
  back: 'All your requests',
  you: 'You',
  us: 'Support',
  reply: 'Write a reply',
  replySend: 'Send reply',
  propose: 'What would make this right?',
  proposeHint: 'Tell us the solution you would like; the person handling your request sees it.',
  proposeSend: 'Send proposal',
  proposals: 'Your proposals',
  promises: 'What we promised you',
  promiseDue: 'by',
  status: 'Status',
  attachment: 'attachment',
  followRequests: 'Follow your requests in our customer portal',
  forbidden: 'This form was sent from another site and was not accepted.',
  /** A conversation's status as the customer sees it (on hold: we wait on someone else, still ours to do). */
  statuses: {
    new: 'Received',
    open: 'In progress',
    pending: 'Waiting for your reply',
    on_hold: 'In progress',
    solved: 'Solved',
    closed: 'Closed',
  } satisfies Record<ConversationStatus, string>,
};
type Texts = typeof en;
const de: Texts = {
  name: 'Ihr Name',
  email: 'Ihre E-Mail-Adresse',
  phone: 'Telefon (freiwillig)',
  subject: 'Betreff (freiwillig)',
  message: 'Ihre Nachricht',
  files: 'Anhänge (freiwillig, bis zu 5 Dateien)',
  send: 'Senden',
  honeypot: 'Dieses Feld bitte leer lassen',
  notFound: 'Diese Seite gibt es nicht.',
  signInIntro: 'Geben Sie Ihre E-Mail-Adresse ein, und wir senden Ihnen einen Link zu Ihren Anfragen.',
  signInSend: 'Link senden',
  linkSent:
    'Wenn wir diese Adresse kennen, ist ein Anmeldelink unterwegs. Er funktioniert einmal, 30 Minuten lang.',
  signInButton: 'Anmelden',
  signInConfirm: 'Klicken Sie auf die Schaltfläche, um Ihre Anfragen zu sehen.',
  linkInvalid: 'Dieser Link ist unbekannt, benutzt oder abgelaufen. Fordern Sie einen neuen an.',
  askAgain: 'Neuen Link anfordern',
  signOut: 'Abmelden',
  none: 'Sie haben noch keine Anfragen.',
  back: 'Alle Ihre Anfragen',
  you: 'Sie',
  us: 'Kundenservice',
  reply: 'Antwort schreiben',
  replySend: 'Antwort senden',
  propose: 'Was würde es für Sie wieder gut machen?',
  proposeHint: 'Sagen Sie uns, welche Lösung Sie sich wünschen; wer Ihre Anfrage bearbeitet, sieht es.',
  proposeSend: 'Vorschlag senden',
  proposals: 'Ihre Vorschläge',
  promises: 'Was wir Ihnen zugesagt haben',
  promiseDue: 'bis',
  status: 'Status',
  attachment: 'Anhang',
  followRequests: 'Ihre Anfragen verfolgen Sie in unserem Kundenportal',
  forbidden: 'Dieses Formular kam von einer anderen Website und wurde nicht angenommen.',
  statuses: {
    new: 'Eingegangen',
    open: 'In Bearbeitung',
    pending: 'Wartet auf Ihre Antwort',
    on_hold: 'In Bearbeitung',
    solved: 'Gelöst',
    closed: 'Abgeschlossen',
  },
};

/** The page language from Accept-Language: German when it comes first, else English. */
export function pageLanguage(acceptLanguage: string | undefined): { lang: 'en' | 'de'; t: Texts } {
  const first = acceptLanguage?.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('de') ? { lang: 'de', t: de } : { lang: 'en', t: en };
}

/** The words of the public survey page, in the two shipped languages. */
const en = {
  title: 'Is your problem fixed?',
  fixedQuestion: 'Is your problem really fixed?',
  yes: 'Yes, it is fixed',
  no: 'No, it is not fixed',
  csat: 'How satisfied are you with the help you got?',
  csatLow: 'very dissatisfied',
  csatHigh: 'very satisfied',
  ces: 'How easy was it to get your issue resolved?',
  cesLow: 'very difficult',
  cesHigh: 'very easy',
  nps: 'How likely are you to recommend us to a friend or colleague?',
  npsLow: 'not at all likely',
  npsHigh: 'extremely likely',
  comment: 'Anything else you would like to tell us? (optional)',
  send: 'Send',
  thanks: 'Thank you for your answer.',
  reopened: 'We are sorry it is not fixed yet. We have reopened your request and will get back to you.',
  more: 'Would you answer a few more questions? It takes less than a minute.',
  notFound: 'This survey link is unknown.',
  closed: 'This survey has closed. If you still need help, just write to us.',
  invalid: 'Please check your answers.',
  forbidden: 'This form was sent from another site and was not accepted.',
  sending: 'Sending your answer…',
};
type Texts = typeof en;
const de: Texts = {
  title: 'Ist Ihr Problem gelöst?',
  fixedQuestion: 'Ist Ihr Problem wirklich behoben?',
  yes: 'Ja, es ist behoben',
  no: 'Nein, es ist nicht behoben',
  csat: 'Wie zufrieden sind Sie mit der Hilfe, die Sie bekommen haben?',
  csatLow: 'sehr unzufrieden',
  csatHigh: 'sehr zufrieden',
  ces: 'Wie einfach war es, Ihr Anliegen gelöst zu bekommen?',
  cesLow: 'sehr schwierig',
  cesHigh: 'sehr einfach',
  nps: 'Wie wahrscheinlich ist es, dass Sie uns einem Freund oder Kollegen empfehlen?',
  npsLow: 'überhaupt nicht wahrscheinlich',
  npsHigh: 'äußerst wahrscheinlich',
  comment: 'Möchten Sie uns noch etwas sagen? (freiwillig)',
  send: 'Senden',
  thanks: 'Vielen Dank für Ihre Antwort.',
  reopened:
    'Es tut uns leid, dass es noch nicht behoben ist. Wir haben Ihre Anfrage wieder geöffnet und melden uns bei Ihnen.',
  more: 'Beantworten Sie uns noch ein paar Fragen? Das dauert keine Minute.',
  notFound: 'Diesen Umfragelink gibt es nicht.',
  closed: 'Diese Umfrage ist beendet. Wenn Sie noch Hilfe brauchen, schreiben Sie uns einfach.',
  invalid: 'Bitte prüfen Sie Ihre Antworten.',
  forbidden: 'Dieses Formular kam von einer anderen Website und wurde nicht angenommen.',
  sending: 'Ihre Antwort wird gesendet …',
};

/** The page language: the customer's own (stored on the customer) first, else Accept-Language; German or English. */
export function surveyLanguage(
  customerLocale: string | null | undefined,
  acceptLanguage: string | undefined,
): { lang: 'en' | 'de'; t: Texts } {
  const first = (customerLocale ?? acceptLanguage?.split(',')[0] ?? '').trim().toLowerCase();
  return first.startsWith('de') ? { lang: 'de', t: de } : { lang: 'en', t: en };
}

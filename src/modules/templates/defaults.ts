/**
 * Every text a customer receives, as a registry of keys. Each key has a format (`html`: placeholders are
 * HTML-escaped, the template's own markup is kept; `text`: nothing is escaped), the placeholders it may use,
 * and default wording in English and German. Workspaces override a key per locale (customer_templates).
 * Sections (`{{#customerName}} {{customerName}}{{/customerName}}`) leave out words when a value is missing.
 */
export const placeholders = {
  customerName: { description: "The customer's name (may be empty)", example: 'Alex Example' },
  companyName: { description: 'The name of the workspace (your company)', example: 'Acme' },
  subject: { description: 'The subject of the conversation', example: 'Order 1042 has not arrived' },
  reference: { description: 'The conversation number', example: '1042' },
  agentName: { description: 'The name of the person who replied', example: 'Sam' },
  portalUrl: {
    description: 'Where the customer follows the request',
    example: 'https://help.example.com/r/1042',
  },
  surveyUrl: { description: 'The survey link', example: 'https://help.example.com/s/abc' },
  reopenDays: { description: 'Days in which a reply reopens the request', example: '7' },
  calledBy: { description: 'Who will call the customer back (an escalation)', example: 'Sam Senior' },
  callbackBy: {
    description: "By when the call-back is due, in the customer's language and the team's time zone",
    example: 'Thu, 5 Mar 2026, 13:00 (Europe/Berlin)',
  },
  replyBy: {
    description: 'When an answer can be expected: the next opening of the business hours, in words',
    example: 'Monday, 7 December at 09:00 (Europe/Berlin)',
  },
} as const;
export type Placeholder = keyof typeof placeholders;

export const shippedLocales = ['en', 'de'] as const;
export type ShippedLocale = (typeof shippedLocales)[number];
export type TemplateFormat = 'text' | 'html';

type Definition = {
  description: string;
  format: TemplateFormat;
  placeholders: readonly Placeholder[];
  texts: Record<ShippedLocale, string>;
};

const hello = {
  en: '<p>Hello{{#customerName}} {{customerName}}{{/customerName}},</p>',
  de: '<p>Guten Tag{{#customerName}} {{customerName}}{{/customerName}},</p>',
};
const regards = {
  en: '<p>Kind regards<br>{{companyName}}</p>',
  de: '<p>Freundliche Grüße<br>{{companyName}}</p>',
};

const definitions = {
  'acknowledgement.subject': {
    description: 'E-mail subject: we received your message',
    format: 'text',
    placeholders: ['subject', 'reference', 'companyName'],
    texts: {
      en: 'We have received your request [#{{reference}}]',
      de: 'Wir haben Ihre Anfrage erhalten [#{{reference}}]',
    },
  },
  'acknowledgement.body': {
    description: 'E-mail body: we received your message',
    format: 'html',
    placeholders: ['customerName', 'companyName', 'subject', 'reference', 'portalUrl', 'replyBy'],
    texts: {
      en: `${hello.en}<p>thank you for contacting {{companyName}}. We have received your message “{{subject}}” and will get back to you as soon as we can.</p>{{#replyBy}}<p>We are closed right now; we are back {{replyBy}}.</p>{{/replyBy}}<p>Your reference number is #{{reference}}. You can follow your request at any time: <a href="{{portalUrl}}">{{portalUrl}}</a></p>${regards.en}`,
      de: `${hello.de}<p>vielen Dank für Ihre Nachricht an {{companyName}}. Wir haben Ihre Anfrage „{{subject}}“ erhalten und melden uns so schnell wie möglich bei Ihnen.</p>{{#replyBy}}<p>Wir sind gerade nicht erreichbar; wir sind wieder da am {{replyBy}}.</p>{{/replyBy}}<p>Ihre Vorgangsnummer lautet #{{reference}}. Den Stand Ihrer Anfrage können Sie jederzeit hier verfolgen: <a href="{{portalUrl}}">{{portalUrl}}</a></p>${regards.de}`,
    },
  },
  'reply_notification.subject': {
    description: 'E-mail subject: there is a reply to your request',
    format: 'text',
    placeholders: ['subject', 'reference', 'companyName'],
    texts: {
      en: 'New reply to your request [#{{reference}}]: {{subject}}',
      de: 'Neue Antwort auf Ihre Anfrage [#{{reference}}]: {{subject}}',
    },
  },
  'reply_notification.body': {
    description: 'E-mail body: there is a reply to your request',
    format: 'html',
    placeholders: ['customerName', 'companyName', 'subject', 'reference', 'agentName', 'portalUrl'],
    texts: {
      en: `${hello.en}<p>{{agentName}} has replied to your request “{{subject}}”.</p><p>You can read the reply and answer it here: <a href="{{portalUrl}}">{{portalUrl}}</a> – or simply reply to this e-mail.</p>${regards.en}`,
      de: `${hello.de}<p>{{agentName}} hat auf Ihre Anfrage „{{subject}}“ geantwortet.</p><p>Hier können Sie die Antwort lesen und darauf antworten: <a href="{{portalUrl}}">{{portalUrl}}</a> – oder antworten Sie einfach auf diese E-Mail.</p>${regards.de}`,
    },
  },
  'solved_notice.subject': {
    description: 'E-mail subject: your request is solved',
    format: 'text',
    placeholders: ['subject', 'reference', 'companyName'],
    texts: {
      en: 'Your request has been resolved [#{{reference}}]',
      de: 'Ihre Anfrage ist erledigt [#{{reference}}]',
    },
  },
  'solved_notice.body': {
    description: 'E-mail body: your request is solved (a reply reopens it)',
    format: 'html',
    placeholders: ['customerName', 'companyName', 'subject', 'reference', 'reopenDays', 'portalUrl'],
    texts: {
      en: `${hello.en}<p>we believe your request “{{subject}}” has now been resolved.</p><p>If anything is still not right, just reply to this e-mail within {{reopenDays}} days and we will pick it up again right away.</p>${regards.en}`,
      de: `${hello.de}<p>wir gehen davon aus, dass Ihr Anliegen „{{subject}}“ nun gelöst ist.</p><p>Falls noch etwas nicht stimmt, antworten Sie einfach innerhalb von {{reopenDays}} Tagen auf diese E-Mail – wir kümmern uns dann sofort wieder darum.</p>${regards.de}`,
    },
  },
  'survey_invitation.subject': {
    description: 'E-mail subject: the satisfaction survey',
    format: 'text',
    placeholders: ['subject', 'reference', 'companyName'],
    texts: {
      en: 'How did we do? [#{{reference}}]',
      de: 'Wie zufrieden waren Sie mit uns? [#{{reference}}]',
    },
  },
  'survey_invitation.body': {
    description: 'E-mail body: the satisfaction survey',
    format: 'html',
    placeholders: ['customerName', 'companyName', 'subject', 'reference', 'surveyUrl'],
    texts: {
      en: `${hello.en}<p>you recently contacted us about “{{subject}}”. Would you tell us how it went? It takes less than a minute.</p><p><a href="{{surveyUrl}}">Rate your experience</a></p><p>Thank you!<br>{{companyName}}</p>`,
      de: `${hello.de}<p>Sie hatten uns kürzlich wegen „{{subject}}“ kontaktiert. Verraten Sie uns, wie es gelaufen ist? Das dauert keine Minute.</p><p><a href="{{surveyUrl}}">Jetzt bewerten</a></p><p>Vielen Dank!<br>{{companyName}}</p>`,
    },
  },
  'follow_up.body': {
    description: 'Follow-up after resolution: is it really fixed? (one-click links and the short survey)',
    format: 'html',
    placeholders: ['customerName', 'companyName', 'subject', 'reference', 'surveyUrl'],
    texts: {
      en: `${hello.en}<p>we solved your request “{{subject}}” [#{{reference}}] a little while ago. Is the problem really fixed?</p><p><a href="{{surveyUrl}}?fixed=yes">Yes, it is fixed</a></p><p><a href="{{surveyUrl}}?fixed=no">No, it is not fixed</a></p><p>(You can also simply reply “yes” or “no”.)</p><p>A few short questions about how it went: <a href="{{surveyUrl}}">{{surveyUrl}}</a></p>${regards.en}`,
      de: `${hello.de}<p>wir haben Ihre Anfrage „{{subject}}“ [#{{reference}}] vor Kurzem gelöst. Ist das Problem wirklich behoben?</p><p><a href="{{surveyUrl}}?fixed=yes">Ja, es ist behoben</a></p><p><a href="{{surveyUrl}}?fixed=no">Nein, es ist nicht behoben</a></p><p>(Sie können auch einfach mit „ja“ oder „nein“ antworten.)</p><p>Ein paar kurze Fragen dazu, wie es gelaufen ist: <a href="{{surveyUrl}}">{{surveyUrl}}</a></p>${regards.de}`,
    },
  },
  'follow_up_reminder.body': {
    description: 'Follow-up after resolution: the one reminder when the first check-in got no answer',
    format: 'html',
    placeholders: ['customerName', 'companyName', 'subject', 'reference', 'surveyUrl'],
    texts: {
      en: `${hello.en}<p>one last check about “{{subject}}” [#{{reference}}]: is everything working now?</p><p><a href="{{surveyUrl}}?fixed=yes">Yes, it is fixed</a></p><p><a href="{{surveyUrl}}?fixed=no">No, it is not fixed</a></p>${regards.en}`,
      de: `${hello.de}<p>eine letzte Nachfrage zu „{{subject}}“ [#{{reference}}]: Funktioniert jetzt alles?</p><p><a href="{{surveyUrl}}?fixed=yes">Ja, es ist behoben</a></p><p><a href="{{surveyUrl}}?fixed=no">Nein, es ist nicht behoben</a></p>${regards.de}`,
    },
  },
  'escalation.callback': {
    description:
      'Escalation: the customer contacted us again about the same problem; who will call back, and by when',
    format: 'text',
    placeholders: ['customerName', 'companyName', 'subject', 'reference', 'calledBy', 'callbackBy'],
    texts: {
      en: 'Hello{{#customerName}} {{customerName}}{{/customerName}},\n\nwe are sorry that you have had to contact us again about “{{subject}}” [#{{reference}}]. We have passed it to {{calledBy}}, who will call you back by {{callbackBy}}.\n\nKind regards\n{{companyName}}',
      de: 'Guten Tag{{#customerName}} {{customerName}}{{/customerName}},\n\nes tut uns leid, dass Sie sich wegen „{{subject}}“ [#{{reference}}] noch einmal an uns wenden mussten. Wir haben Ihr Anliegen an {{calledBy}} übergeben, der oder die Sie bis {{callbackBy}} zurückruft.\n\nFreundliche Grüße\n{{companyName}}',
    },
  },
  'widget.greeting': {
    description: 'Chat widget: the first line a visitor sees',
    format: 'text',
    placeholders: ['companyName'],
    texts: { en: 'Hi there! How can we help you today?', de: 'Hallo! Wie können wir Ihnen helfen?' },
  },
  'widget.input_placeholder': {
    description: 'Chat widget: the empty message box',
    format: 'text',
    placeholders: [],
    texts: { en: 'Type your message…', de: 'Schreiben Sie uns eine Nachricht …' },
  },
  'widget.send_button': {
    description: 'Chat widget: the send button',
    format: 'text',
    placeholders: [],
    texts: { en: 'Send', de: 'Senden' },
  },
  'widget.offline_message': {
    description: 'Chat widget: shown outside business hours',
    format: 'text',
    placeholders: ['companyName'],
    texts: {
      en: 'We are offline right now. Leave us your message and your e-mail address, and we will get back to you as soon as we are back.',
      de: 'Wir sind gerade nicht erreichbar. Hinterlassen Sie uns Ihre Nachricht und Ihre E-Mail-Adresse – wir melden uns, sobald wir wieder da sind.',
    },
  },
  'portal.title': {
    description: 'Customer portal: the page title',
    format: 'text',
    placeholders: ['companyName'],
    texts: { en: '{{companyName}} Support', de: '{{companyName}} Kundenservice' },
  },
  'portal.requests_heading': {
    description: "Customer portal: the heading over the customer's requests",
    format: 'text',
    placeholders: ['customerName'],
    texts: { en: 'Your requests', de: 'Ihre Anfragen' },
  },
  'portal.new_request_button': {
    description: 'Customer portal: the button that opens a new request',
    format: 'text',
    placeholders: [],
    texts: { en: 'New request', de: 'Neue Anfrage' },
  },
  'portal.sign_in.subject': {
    description: 'E-mail subject: the link that signs a customer in to the portal',
    format: 'text',
    placeholders: ['companyName'],
    texts: {
      en: 'Your sign-in link for {{companyName}} Support',
      de: 'Ihr Anmeldelink für den {{companyName}} Kundenservice',
    },
  },
  'portal.sign_in.body': {
    description: 'E-mail body (plain text): the link that signs a customer in to the portal',
    format: 'text',
    placeholders: ['customerName', 'companyName', 'portalUrl'],
    texts: {
      en: 'Hello{{#customerName}} {{customerName}}{{/customerName}},\n\nopen this link to see your requests with {{companyName}}:\n\n{{portalUrl}}\n\nThe link works once, for 30 minutes. If you did not ask for it, ignore this e-mail.\n\n{{companyName}}',
      de: 'Guten Tag{{#customerName}} {{customerName}}{{/customerName}},\n\nüber diesen Link sehen Sie Ihre Anfragen bei {{companyName}}:\n\n{{portalUrl}}\n\nDer Link funktioniert einmal, 30 Minuten lang. Wenn Sie ihn nicht angefordert haben, ignorieren Sie diese E-Mail.\n\n{{companyName}}',
    },
  },
  'webform.received': {
    description: 'Contact form: the answer after a customer sent it',
    format: 'text',
    placeholders: ['companyName'],
    texts: {
      en: 'Thank you! We have received your message and will get back to you by e-mail.',
      de: 'Vielen Dank! Wir haben Ihre Nachricht erhalten und antworten Ihnen per E-Mail.',
    },
  },
} as const satisfies Record<string, Definition>;

export type TemplateKey = keyof typeof definitions;
export const templateKeys = Object.keys(definitions) as [TemplateKey, ...TemplateKey[]];
export const templateDefinition = (key: TemplateKey): Definition => definitions[key];

import type { Notification } from './notifications.repo.js';

/**
 * The words of notification e-mails: plain, polite, and short. Links are absolute when Steward knows its
 * public address (STEWARD_PUBLIC_URL); otherwise the mail names the place in the app.
 */
export type MailText = { subject: string; text: string };

export const DIGEST_LISTED = 50;

export function absoluteLink(publicUrl: string | undefined, link: string): string {
  return publicUrl ? `${publicUrl.replace(/\/+$/, '')}${link}` : `Steward, ${link}`;
}

const footer = [
  '',
  'You receive this e-mail because of your notification settings in Steward. You can choose there which',
  'notifications reach you by e-mail, at once or in a digest, or not at all.',
  '',
  'Kind regards,',
  'Steward',
];

export function immediateMail(
  person: { name: string },
  notification: Pick<Notification, 'title' | 'link'>,
  publicUrl: string | undefined,
): MailText {
  return {
    subject: notification.title,
    text: [
      `Hello ${person.name},`,
      '',
      notification.title,
      '',
      `You can open it here: ${absoluteLink(publicUrl, notification.link)}`,
      ...footer,
    ].join('\n'),
  };
}

export function digestMail(
  person: { name: string },
  items: Array<Pick<Notification, 'title' | 'link' | 'createdAt'>>,
  publicUrl: string | undefined,
): MailText {
  const count = items.length;
  const listed = items.slice(0, DIGEST_LISTED);
  const lines = listed.flatMap((item) => [`- ${item.title}`, `  ${absoluteLink(publicUrl, item.link)}`]);
  if (count > listed.length) lines.push(`- … and ${count - listed.length} more in Steward.`);
  return {
    subject:
      count === 1
        ? 'Steward: 1 notification you have not seen yet'
        : `Steward: ${count} notifications you have not seen yet`,
    text: [
      `Hello ${person.name},`,
      '',
      count === 1
        ? 'Here is a notification you have not read in Steward yet:'
        : `Here are ${count} notifications you have not read in Steward yet:`,
      '',
      ...lines,
      ...footer,
    ].join('\n'),
  };
}

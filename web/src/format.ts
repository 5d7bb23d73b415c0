const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const time = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

export const formatDateTime = (iso: string) => dateTime.format(new Date(iso));

/** "09:41" today, else "12 Mar 2026, 09:41". */
export function formatWhen(iso: string, now = new Date()): string {
  const d = new Date(iso);
  return d.toDateString() === now.toDateString() ? time.format(d) : dateTime.format(d);
}

/** A short duration: "4 min", "3 h", "2 d". */
export function formatAge(iso: string, now = Date.now()): string {
  const minutes = Math.max(0, Math.round((now - Date.parse(iso)) / 60_000));
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/** How long ago: "just now", "4 min ago", "3 h ago", "2 d ago". */
export function formatAgo(iso: string, now = Date.now()): string {
  const age = formatAge(iso, now);
  return age === 'just now' ? age : `${age} ago`;
}

export const statusLabel: Record<string, string> = {
  new: 'New',
  open: 'Open',
  pending: 'Pending',
  on_hold: 'On hold',
  solved: 'Solved',
  closed: 'Closed',
};

export const priorityLabel: Record<string, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};

export const channelLabel: Record<string, string> = {
  email: 'E-mail',
  chat: 'Chat',
  webform: 'Web form',
  phone: 'Phone',
  sms: 'SMS',
  whatsapp: 'WhatsApp',
  social: 'Social',
  api: 'API',
};

/** "1 message", "3 messages": a count with its noun in the right number. */
export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * A customer attribute's key as a label: imported keys are often code-like ("marketingOptIn", "account_type"),
 * shown as words ("Marketing opt in", "Account type"); a key already in words is left as it is, and a hyphen
 * stays ("e-mail").
 */
export function attributeName(key: string): string {
  const words = key
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .replace(/_+/g, ' ')
    .trim();
  if (words === key && /\s/.test(key)) return key;
  const lower = words.replace(/\b[A-Z][a-z]+\b/g, (w) => w.toLowerCase());
  return lower.charAt(0).toUpperCase() + lower.slice(1);
}

/** A customer attribute's value in words: yes/no for booleans, lists joined, other JSON as it is. */
export function attributeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return value.toLocaleString();
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null))
    return value.join(', ');
  return JSON.stringify(value);
}

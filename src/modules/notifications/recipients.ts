/**
 * Who is told about an event, and what: a pure rule from one stored event to the people concerned.
 * No I/O: the consumer drops people who are missing, deactivated or of another workspace afterwards.
 *
 * The rules:
 * - `conversation.assigned` (and `conversation.created` with an assignee): the new assignee, `assigned`;
 * - `note.added` with `data.mentionIds`: each mentioned colleague, `mention`;
 * - any event with `data.notifyPersonIds` (the contract for later issues: SLA, commitments, escalation,
 *   approvals, webhooks only emit events): each of those people, of kind `data.notifyKind`, titled
 *   `data.notifyTitle`, linking `data.notifyLink` (or the event's entity).
 * Nobody is told about what they did themselves, and nobody twice about one event (the first rule wins).
 */

/** The kinds people can set preferences for. Later issues add theirs here when they start emitting them. */
export const notificationKinds = [
  'assigned',
  'mention',
  'sla_breached',
  'sla_warning',
  'promise_due',
  'escalation',
  'approval_requested',
  'approval_decided',
  'webhook_paused',
  'survey_not_fixed',
] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** Shown when an event carries no `notifyTitle`. */
const kindLabels: Record<NotificationKind, string> = {
  assigned: 'Assigned to you',
  mention: 'You were mentioned',
  sla_breached: 'A deadline was missed',
  sla_warning: 'A deadline is near',
  promise_due: 'A promise is due',
  escalation: 'An escalation reached you',
  approval_requested: 'Your approval is requested',
  approval_decided: 'Your request was approved or rejected',
  webhook_paused: 'A webhook was paused',
  survey_not_fixed: 'A customer says it is not fixed',
};

/** A kind named by an event must look like one; anything else is filed under `other`. */
const kindPattern = /^[a-z][a-z0-9_]{1,39}$/;
/** A path inside the app: no scheme, no host, nothing that could send a reader elsewhere. */
const linkPattern = /^\/(?!\/)[A-Za-z0-9/_\-.?=&%#]{0,499}$/;
/** One event tells at most this many people (a broadcast is not a notification). */
export const MAX_RECIPIENTS = 500;
const MAX_TITLE = 200;

export type EventFacts = {
  type: string;
  entityType: string;
  entityId: number;
  actorType: string;
  actorId: number | null;
  data: Record<string, unknown>;
};

export type Recipient = {
  personId: number;
  kind: string;
  title: string;
  link: string;
  entityType: string;
  entityId: number;
};

const isPersonId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;

export function defaultLink(entityType: string, entityId: number): string {
  return `/${entityType.replace(/[^a-z0-9_]/gi, '')}s/${entityId}`;
}

export function kindLabel(kind: string): string {
  return (kindLabels as Record<string, string>)[kind] ?? 'Something needs your attention';
}

function cleanTitle(raw: unknown, fallback: string): string {
  if (typeof raw !== 'string') return fallback;
  const flat = raw.replace(/\s+/g, ' ').trim();
  if (flat === '') return fallback;
  const chars = Array.from(flat);
  return chars.length <= MAX_TITLE ? flat : `${chars.slice(0, MAX_TITLE - 1).join('')}…`;
}

function assigneeOf(event: EventFacts): unknown {
  const after = event.data.after as Record<string, unknown> | undefined;
  if (event.type === 'conversation.assigned' || event.type === 'conversation.created')
    return after?.assigneeId;
  return undefined;
}

/** What the rules may know beyond the event: the acting person's name, for friendlier titles. */
export type RuleContext = { actorName?: string };

function specificRecipients(event: EventFacts, context: RuleContext): Recipient[] {
  const by = context.actorName ? cleanTitle(context.actorName, '').slice(0, 80) : '';
  const onConversation = event.entityType === 'conversation';
  const link = defaultLink(event.entityType, event.entityId);
  const base = { link, entityType: event.entityType, entityId: event.entityId };
  const assignee = assigneeOf(event);
  if (onConversation && isPersonId(assignee)) {
    return [
      {
        ...base,
        personId: assignee,
        kind: 'assigned',
        title: by
          ? `${by} assigned conversation #${event.entityId} to you`
          : `Conversation #${event.entityId} was assigned to you`,
      },
    ];
  }
  if (onConversation && event.type === 'note.added' && Array.isArray(event.data.mentionIds)) {
    return event.data.mentionIds.filter(isPersonId).map((personId) => ({
      ...base,
      personId,
      kind: 'mention',
      title: by
        ? `${by} mentioned you in a note on conversation #${event.entityId}`
        : `You were mentioned in a note on conversation #${event.entityId}`,
    }));
  }
  return [];
}

function conventionRecipients(event: EventFacts): Recipient[] {
  const ids = event.data.notifyPersonIds;
  if (!Array.isArray(ids)) return [];
  const rawKind = event.data.notifyKind;
  const kind = typeof rawKind === 'string' && kindPattern.test(rawKind) ? rawKind : 'other';
  const fallback = `${kindLabel(kind)}: ${event.entityType} #${event.entityId}`;
  const title = cleanTitle(event.data.notifyTitle, fallback);
  const rawLink = event.data.notifyLink;
  const link =
    typeof rawLink === 'string' && linkPattern.test(rawLink)
      ? rawLink
      : defaultLink(event.entityType, event.entityId);
  return ids.filter(isPersonId).map((personId) => ({
    personId,
    kind,
    title,
    link,
    entityType: event.entityType,
    entityId: event.entityId,
  }));
}

export function recipientsOf(event: EventFacts, context: RuleContext = {}): Recipient[] {
  const actor = event.actorType === 'person' ? event.actorId : null;
  const seen = new Set<number>();
  const out: Recipient[] = [];
  for (const r of [...specificRecipients(event, context), ...conventionRecipients(event)]) {
    if (r.personId === actor || seen.has(r.personId)) continue;
    seen.add(r.personId);
    out.push(r);
    if (out.length === MAX_RECIPIENTS) break;
  }
  return out;
}

import type { ReactNode } from 'react';
import type { Message, Person } from '../../api/types';
import { channelLabel, formatWhen } from '../../format';
import { MessageAttachments } from './attachments';
import { CallDetails } from './CallLog';
import { BridgeLinks, DeliveryState, EmailDetails } from './EmailMeta';
import { NoteText } from './mentions';

/** One message of the timeline: who, how (channel), when, how its delivery went, and what the channel adds. */
export function TimelineMessage({
  message,
  customerName,
  personName,
  people,
  pick,
  sentiment,
}: {
  message: Message;
  customerName: string | undefined;
  personName(id: number | null): string | undefined;
  people: Person[];
  /** While splitting: whether this message is chosen to move. */
  pick?: { chosen: boolean; toggle(on: boolean): void };
  /** A customer message's sentiment (the understanding module). */
  sentiment?: ReactNode;
}) {
  const m = message;
  return (
    <li className={`msg msg-${m.direction}`} id={`message-${m.id}`}>
      {pick && (
        <label className="check split-pick">
          <input type="checkbox" checked={pick.chosen} onChange={(e) => pick.toggle(e.target.checked)} />
          Move to the new conversation
        </label>
      )}
      <div className="msg-head">
        <span className="msg-author">
          {m.direction === 'inbound'
            ? (customerName ?? 'Customer')
            : (personName(m.authorPersonId) ?? 'Staff')}
        </span>
        <span className="msg-kind">
          {m.direction === 'note'
            ? 'Internal note'
            : m.direction === 'inbound'
              ? `wrote via ${channelLabel[m.channel]}`
              : `replied via ${channelLabel[m.channel]}`}
        </span>
        <time dateTime={m.createdAt}>{formatWhen(m.createdAt)}</time>
        <DeliveryState delivery={m.delivery} />
        {sentiment}
      </div>
      <EmailDetails message={m} />
      <p className="msg-body">
        {m.direction === 'note' ? <NoteText text={m.body} people={people} /> : m.body}
      </p>
      <MessageAttachments items={m.attachments} />
      <BridgeLinks links={m.links} />
      <CallDetails call={m.call} />
    </li>
  );
}

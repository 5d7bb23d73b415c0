import { useState } from 'react';
import type { Message } from '../../api/types';
import { formatWhen } from '../../format';

const deliveryText: Record<NonNullable<Message['delivery']>['state'], string> = {
  queued: 'Sending…',
  sent: 'Sent',
  failed: 'Not sent',
  bounced: 'Bounced',
};

/** Where a reply is on its way: queued, sent, or failed and why (the relay's or the bounce's words). */
export function DeliveryState({ delivery }: { delivery: Message['delivery'] }) {
  if (!delivery) return null;
  const bad = delivery.state === 'failed' || delivery.state === 'bounced';
  return (
    <span className={`delivery delivery-${delivery.state}`} role={bad ? 'status' : undefined}>
      {deliveryText[delivery.state]}
      {delivery.at && delivery.state === 'sent' ? ` ${formatWhen(delivery.at)}` : ''}
      {bad && delivery.detail ? `: ${delivery.detail}` : ''}
    </span>
  );
}

/** The addresses of an e-mail, and its whole text when what is shown was trimmed of quoted history. */
export function EmailDetails({ message }: { message: Message }) {
  const [full, setFull] = useState(false);
  const e = message.email;
  if (!e) return null;
  const copies = [...e.cc.map((a) => `cc ${a}`), ...e.bcc.map((a) => `bcc ${a}`)];
  return (
    <div className="msg-email small muted">
      {e.forward && <span>Forwarded to {e.to.join(', ')} · </span>}
      {message.direction === 'inbound' && e.from && <span>From {e.from}</span>}
      {message.direction === 'outbound' && e.to.length > 0 && <span>To {e.to.join(', ')}</span>}
      {copies.length > 0 && (
        <span>
          {message.direction === 'note' ? '' : ' · '}
          {copies.join(', ')}
        </span>
      )}
      {e.fullText && (
        <>
          {' '}
          <button type="button" className="link-button" aria-expanded={full} onClick={() => setFull(!full)}>
            {full ? 'Hide the quoted text' : 'Show the whole mail'}
          </button>
          {full && <pre className="msg-full">{e.fullText}</pre>}
        </>
      )}
    </div>
  );
}

/** Files a messaging bridge pointed to: links to the provider, opened outside Steward. */
export function BridgeLinks({ links }: { links: Message['links'] }) {
  if (!links?.length) return null;
  return (
    <ul className="msg-links small">
      {links.map((l) => (
        <li key={l.url}>
          <a href={l.url} target="_blank" rel="noopener noreferrer nofollow">
            {l.filename ?? l.url}
          </a>
        </li>
      ))}
    </ul>
  );
}

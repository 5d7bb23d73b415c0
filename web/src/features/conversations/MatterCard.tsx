import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { Link } from 'react-router';
import { mattersApi, ruleText, useConversationMatter } from '../../api/matters';
import { ChannelIcon } from '../../ChannelIcon';
import { channelLabel, formatDateTime, plural, statusLabel } from '../../format';
import { FailureNote } from '../../ui';
import { usePersonName } from '../session/session';

const durationText = (seconds: number) => {
  const h = seconds / 3600;
  if (h < 1) return `${Math.max(1, Math.round(seconds / 60))} min`;
  if (h < 48) return `${Math.round(h)} h`;
  return `${Math.round(h / 24)} days`;
};

const countText = (n: number) => plural(n, 'contact');

/**
 * The customer's problem this conversation is about (README "Matters"): how many times the customer has
 * contacted us about it, on which channels, its other conversations and why each is on it; an agent splits
 * the conversation off or links it to another of the customer's conversations.
 */
export function MatterCard({ conversationId, writable }: { conversationId: number; writable: boolean }) {
  const view = useConversationMatter(conversationId);
  const client = useQueryClient();
  const personName = usePersonName();
  const ids = useId();
  const [linkTo, setLinkTo] = useState('');
  const [notice, setNotice] = useState('');
  const done = (text: string) => (data: Awaited<ReturnType<typeof mattersApi.get>>) => {
    client.setQueryData(['conversation', conversationId, 'matter'], data);
    void client.invalidateQueries({ queryKey: ['conversation'] });
    setNotice(text);
    setLinkTo('');
  };
  const split = useMutation({
    mutationFn: () => mattersApi.split(conversationId),
    onSuccess: done('Split off: this conversation is now a matter of its own.'),
  });
  const link = useMutation({
    mutationFn: (otherId: number) => mattersApi.link(conversationId, otherId),
    onSuccess: done('Linked: this conversation is now on the same matter.'),
  });
  if (!view.data) return null;
  const { matter, conversations, contacts, others } = view.data;
  const onLink = (e: FormEvent) => {
    e.preventDefault();
    if (linkTo) link.mutate(Number(linkTo));
  };
  const failure = split.error ?? link.error;
  return (
    <section className="side-card matter-card" aria-labelledby={`${ids}-title`} data-testid="matter-card">
      <h2 id={`${ids}-title`} className="side-title">
        Matter
      </h2>
      {!matter && (
        <p className="muted small">
          {view.data.replaying
            ? 'Steward is working out the matters of the history so far; this one shows as soon as it is reached.'
            : 'No contact from the customer yet.'}
        </p>
      )}
      {matter && (
        <>
          <p>
            <span
              className={`badge ${matter.contactCount >= 3 ? 'badge-warn' : ''}`}
              data-testid="matter-contacts"
            >
              {countText(matter.contactCount)}
            </span>{' '}
            <span className="badge">{matter.status === 'open' ? 'Open' : 'Solved'}</span>
          </p>
          <p className="small">
            Channels:{' '}
            {matter.channels.map((ch) => (
              <span key={ch} className="matter-channel">
                <ChannelIcon channel={ch} /> {channelLabel[ch] ?? ch}{' '}
              </span>
            ))}
          </p>
          <p className="small muted">
            First contact {formatDateTime(matter.firstContactAt)}
            {matter.resolutionSeconds !== null && (
              <>, solved after {durationText(matter.resolutionSeconds)}</>
            )}
          </p>
          <ul className="matter-conversations">
            {conversations.map((c) => {
              const by = c.decidedById !== null ? personName(c.decidedById) : null;
              return (
                <li key={c.id}>
                  {c.id === conversationId ? (
                    <strong>This conversation</strong>
                  ) : (
                    <Link to={`/conversations/${c.id}`}>
                      #{c.id} {c.subject}
                    </Link>
                  )}{' '}
                  <span className="muted small">
                    {channelLabel[c.channel] ?? c.channel} · {statusLabel[c.status] ?? c.status} ·{' '}
                    {countText(contacts.filter((x) => x.conversationId === c.id).length)}
                  </span>
                  <div className="small" data-testid="matter-why">
                    {ruleText(c.rule, c.score)}
                    {by ? ` (${by})` : ''}
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {writable && matter && conversations.length > 1 && (
        <button
          type="button"
          className="button small"
          disabled={split.isPending}
          onClick={() => split.mutate()}
        >
          Split off: another problem
        </button>
      )}
      {writable && matter && others.length > 0 && (
        <form className="matter-link" onSubmit={onLink}>
          <label htmlFor={`${ids}-link`} className="small">
            Same problem as
          </label>
          <select id={`${ids}-link`} value={linkTo} onChange={(e) => setLinkTo(e.target.value)}>
            <option value="">choose a conversation…</option>
            {others.map((o) => (
              <option key={o.id} value={o.id}>
                #{o.id} {o.subject} ({formatDateTime(o.createdAt)})
              </option>
            ))}
          </select>
          <button type="submit" className="button small" disabled={!linkTo || link.isPending}>
            Link
          </button>
        </form>
      )}
      <FailureNote error={failure} />
      {notice && (
        <p className="small" role="status">
          {notice}
        </p>
      )}
    </section>
  );
}

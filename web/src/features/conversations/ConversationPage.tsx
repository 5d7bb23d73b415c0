import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { api, messageOf } from '../../api/client';
import { claimConversation, claimRefusal } from '../../api/routing';
import type { Conversation, ConversationDetail, Status } from '../../api/types';
import { channelLabel, formatWhen, plural, priorityLabel, statusLabel } from '../../format';
import { useShortcuts } from '../../keyboard';
import { CustomerPanel } from '../customers/CustomerPanel';
import { can, usePeople, usePersonName, useSession, useTeamName } from '../session/session';
import { Collision } from './Collision';
import { Composer, type Mode } from './Composer';
import { ContactReasonField } from './ContactReasonField';
import { ConversationTools } from './ConversationTools';
import { CustomerMood, MessageSentiment } from './CustomerMood';
import { CustomerTyping } from './CustomerTyping';
import { DetailsPanel } from './DetailsPanel';
import { EscalationPanel } from './EscalationPanel';
import { HandleTime } from './HandleTime';
import { describeEvent, HistoryPanel } from './HistoryPanel';
import { MatterCard } from './MatterCard';
import { SplitBar } from './MergeSplit';
import { PromisesPanel } from './PromisesPanel';
import { ProposalsBlock } from './ProposalsBlock';
import { useActivityReports, usePresence } from './presence';
import { ResolutionPanel } from './ResolutionPanel';
import { lastCustomerChannel, replyChannels } from './reply-channels';
import { SlaDeadlines } from './SlaDeadlines';
import { SurveyState } from './SurveyState';
import { TimelineMessage } from './TimelineMessage';

/** The changes worth a line in the timeline itself; the history panel lists every one. */
const timelineEvents = new Set([
  'conversation.created',
  'conversation.solved',
  'conversation.reopened',
  'conversation.closed',
  'conversation.status_changed',
  'conversation.assigned',
  'conversation.priority_changed',
  'conversation.contact_reason_set',
  'conversation.team_changed',
  'conversation.macro_applied',
]);

export function ConversationPage() {
  const id = Number(useParams().id);
  const session = useSession();
  const client = useQueryClient();
  const personName = usePersonName();
  const teamName = useTeamName();
  const people = usePeople();
  const detail = useQuery({
    queryKey: ['conversation', id],
    queryFn: () => api<ConversationDetail>('GET', `/conversations/${id}`),
    enabled: Number.isInteger(id) && id > 0,
  });
  const [mode, setMode] = useState<Mode>('outbound');
  const [notice, setNotice] = useState<string | null>(null);
  const [splitting, setSplitting] = useState(false);
  const [chosen, setChosen] = useState<Set<number>>(new Set());
  // What a merge or split that led here says ("#12 was merged into this conversation.").
  const flash = (useLocation().state as { notice?: string } | null)?.notice;
  // biome-ignore lint/correctness/useExhaustiveDependencies: another conversation starts without a split
  useEffect(() => {
    setSplitting(false);
    setChosen(new Set());
  }, [id]);
  const composer = useRef<HTMLTextAreaElement>(null);
  const writable = can(session, 'conversations.write');

  const refresh = (c?: Conversation) => {
    if (c)
      client.setQueryData<ConversationDetail>(['conversation', id], (d) =>
        d ? { ...d, conversation: c } : d,
      );
    void client.invalidateQueries({ queryKey: ['conversation', id] });
    void client.invalidateQueries({ queryKey: ['conversations'] });
  };
  const change = useMutation({
    mutationFn: (patch: { status?: Status; assigneeId?: number | null }) =>
      api<Conversation>('PATCH', `/conversations/${id}`, patch),
    onSuccess: (c, patch) => {
      if (patch.status) setNotice(`Marked ${statusLabel[patch.status]?.toLowerCase()}.`);
      else setNotice('Assignment saved.');
      refresh(c);
    },
  });

  const claim = useMutation({
    mutationFn: () => claimConversation(id),
    onSuccess: (c) => {
      setNotice('It is yours now.');
      refresh(c);
    },
    onError: () => refresh(),
  });

  const startComposer = (m: Mode) => {
    setMode(m);
    composer.current?.focus();
  };
  const conversation = detail.data?.conversation;
  const solvable = conversation && !['solved', 'closed'].includes(conversation.status);
  useShortcuts({
    r: (e) => {
      e.preventDefault();
      startComposer('outbound');
    },
    n: (e) => {
      e.preventDefault();
      startComposer('note');
    },
    e: () => {
      if (solvable && writable) change.mutate({ status: 'solved' });
    },
    m: (e) => {
      const button = document.getElementById('macro-button');
      if (button instanceof HTMLButtonElement) {
        e.preventDefault();
        button.click();
      }
    },
    a: (e) => {
      const picker = document.getElementById('assignee');
      if (picker instanceof HTMLSelectElement && !picker.disabled) {
        e.preventDefault();
        picker.focus();
      }
    },
  });

  useActivityReports(id, writable && Number.isInteger(id) && id > 0);
  const viewers = usePresence(id, session.person.id);

  if (detail.isPending) return <p className="loading">Loading the conversation…</p>;
  if (detail.isError)
    return (
      <div className="error-box" role="alert">
        <h1>This conversation could not be opened</h1>
        <p>{messageOf(detail.error)}</p>
        <Link to="/">Back to the inbox</Link>
      </div>
    );
  const d = detail.data;
  const c = d.conversation;
  const canReassign = can(session, 'conversations.reassign');
  const timeline = [
    ...d.messages.map((m) => ({ at: m.createdAt, key: `m${m.id}`, message: m })),
    ...d.events
      .filter((e) => timelineEvents.has(e.type))
      .map((e) => ({ at: e.createdAt, key: `e${e.id}`, event: e })),
  ].sort((a, b) => a.at.localeCompare(b.at) || a.key.localeCompare(b.key));

  return (
    <div className="conversation">
      <div className="conversation-main">
        <header className="conversation-head">
          <p className="crumbs">
            <Link to="/">Inbox</Link> / #{c.id}
          </p>
          <h1>{c.subject}</h1>
          <p className="conversation-facts">
            <span className={`badge status-${c.status}`}>{statusLabel[c.status]}</span>
            <span className={`badge priority-${c.priority}`}>{priorityLabel[c.priority]} priority</span>
            <span>{channelLabel[c.channel]}</span>
            <span>{plural(c.messageCount, 'message')}</span>
          </p>
          <div className="conversation-actions">
            <label htmlFor="assignee">Assignee</label>
            <select
              id="assignee"
              aria-keyshortcuts="a"
              value={c.assigneeId ?? ''}
              disabled={!writable || change.isPending || c.status === 'closed'}
              onChange={(e) => change.mutate({ assigneeId: e.target.value ? Number(e.target.value) : null })}
            >
              <option value="">Unassigned</option>
              {(people.data?.items ?? [])
                .filter(
                  (p) =>
                    p.status === 'active' &&
                    (canReassign || p.id === session.person.id || p.id === c.assigneeId),
                )
                .map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.id === session.person.id ? `${p.name} (me)` : p.name}
                  </option>
                ))}
            </select>
            {writable && c.assigneeId === null && c.status !== 'closed' && (
              <button
                type="button"
                className="button primary"
                onClick={() => claim.mutate()}
                disabled={claim.isPending}
              >
                Take it
              </button>
            )}
            {writable && solvable && (
              <button
                type="button"
                className="button primary"
                onClick={() => change.mutate({ status: 'solved' })}
                disabled={change.isPending}
                aria-keyshortcuts="e"
              >
                Solve
              </button>
            )}
            {writable && c.status === 'solved' && (
              <button type="button" className="button" onClick={() => change.mutate({ status: 'open' })}>
                Reopen
              </button>
            )}
            {writable && c.status !== 'closed' && (
              <ConversationTools
                conversation={c}
                messageCount={d.messages.length}
                splitting={splitting}
                onSplitting={setSplitting}
              />
            )}
          </div>
          {flash && (
            <p className="flash" role="status">
              {flash}
            </p>
          )}
          {c.mergedIntoId && (
            <p className="merged-note">
              This conversation was merged into{' '}
              <Link to={`/conversations/${c.mergedIntoId}`}>#{c.mergedIntoId}</Link>: its messages are there
              now.
            </p>
          )}
          {splitting && (
            <SplitBar conversation={c} chosen={[...chosen]} onCancel={() => setSplitting(false)} />
          )}
          {claim.isError && (
            <p className="form-error" role="alert">
              {claimRefusal(claim.error, personName)}
            </p>
          )}
          {change.isError && (
            <p className="form-error" role="alert">
              {messageOf(change.error)}
            </p>
          )}
        </header>

        <ol className="timeline" aria-label="Messages and changes, oldest first">
          {timeline.map((item) =>
            'message' in item && item.message ? (
              <TimelineMessage
                key={item.key}
                message={item.message}
                customerName={d.customer?.name}
                personName={personName}
                people={people.data?.items ?? []}
                sentiment={
                  item.message.direction === 'inbound' && (
                    <MessageSentiment conversationId={c.id} messageId={item.message.id} writable={writable} />
                  )
                }
                pick={
                  splitting
                    ? {
                        chosen: chosen.has(item.message.id),
                        toggle: (on) => {
                          const next = new Set(chosen);
                          if (on) next.add(item.message.id);
                          else next.delete(item.message.id);
                          setChosen(next);
                        },
                      }
                    : undefined
                }
              />
            ) : 'event' in item && item.event ? (
              <li key={item.key} className="tl-event">
                {describeEvent(item.event, { person: personName, team: teamName })}
                {item.event.actorType === 'person' && item.event.actorId
                  ? ` by ${personName(item.event.actorId) ?? 'a colleague'}`
                  : ''}{' '}
                · <time dateTime={item.event.createdAt}>{formatWhen(item.event.createdAt)}</time>
              </li>
            ) : null,
          )}
        </ol>
        {d.messagesNextCursor && <p className="muted">Older messages continue in the API.</p>}

        <ProposalsBlock conversationId={c.id} />
        {c.channel === 'chat' && <CustomerTyping conversationId={c.id} name={d.customer?.name} />}
        <Collision viewers={viewers} personName={personName} />
        {writable && c.status !== 'closed' ? (
          <Composer
            key={c.id}
            conversationId={c.id}
            customerName={d.customer?.name}
            channels={replyChannels(c.channel, d.messages)}
            defaultChannel={lastCustomerChannel(c.channel, d.messages)}
            mode={mode}
            onModeChange={setMode}
            textarea={composer}
            onMacroApplied={(conversation, name) => {
              setNotice(`Macro “${name}” applied.`);
              refresh(conversation);
            }}
            onSent={(conversation, direction) => {
              setNotice(direction === 'note' ? 'Note added.' : 'Reply sent.');
              refresh(conversation);
            }}
          />
        ) : (
          <p className="muted">
            {c.status === 'closed'
              ? 'This conversation is closed. If the customer writes again, a new one starts.'
              : 'Your role can read conversations but not answer them.'}
          </p>
        )}
        <p className="visually-hidden" role="status">
          {notice}
        </p>
      </div>
      <div className="conversation-side">
        <DetailsPanel key={`details-${c.id}`} conversation={c} writable={writable} />
        <ContactReasonField key={c.id} conversation={c} writable={writable} />
        <CustomerMood conversationId={c.id} />
        <MatterCard key={`matter-${c.id}`} conversationId={c.id} writable={writable} />
        <EscalationPanel key={`escalation-${c.id}`} conversationId={c.id} writable={writable} />
        <ResolutionPanel key={`resolution-${c.id}`} conversationId={c.id} writable={writable} />
        <SlaDeadlines conversationId={c.id} />
        <PromisesPanel key={`promises-${c.id}`} conversationId={c.id} writable={writable} />
        <SurveyState conversationId={c.id} />
        <HandleTime conversationId={c.id} me={session.person.id} personName={personName} />
        {d.customer && <CustomerPanel customerId={d.customer.id} currentConversationId={c.id} />}
        <HistoryPanel events={d.events} />
      </div>
    </div>
  );
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { messageOf } from '../../api/client';
import {
  type DistressSignal,
  type ScoredMessage,
  type SentimentLabel,
  sentimentApi,
  sentimentText,
  signalLabel,
  useConversationSentiment,
} from '../../api/sentiment';
import { formatWhen } from '../../format';

/** Most telling first: what an agent must not miss in a row of the inbox. */
const signalRank: DistressSignal[] = [
  'legal_threat',
  'churn_threat',
  'anger',
  'repeat_contact',
  'high_effort',
  'urgency',
];

const scoreText = (score: number) => `${score > 0 ? '+' : score < 0 ? '−' : ''}${Math.abs(score).toFixed(2)}`;

/** The inbox row's mark: the most telling distress signal, and how many more (all of them on hover). */
export function DistressBadge({ signals }: { signals: readonly DistressSignal[] | undefined }) {
  if (!signals || signals.length === 0) return null;
  const ranked = signalRank.filter((s) => signals.includes(s));
  const all = ranked.map((s) => signalLabel[s]).join(', ');
  return (
    <span className="badge distress" title={`Distress: ${all}`}>
      <span aria-hidden="true">
        {signalLabel[ranked[0]!]}
        {ranked.length > 1 ? ` +${ranked.length - 1}` : ''}
      </span>
      <span className="visually-hidden">Distress: {all}</span>
    </span>
  );
}

function MoodLine({ label, m }: { label: string; m: ScoredMessage }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>
        <span className={`badge sentiment-${m.label}`}>{sentimentText[m.label]}</span>{' '}
        <span className="small muted">
          {scoreText(m.score)}, <span className="when">{formatWhen(m.messageAt)}</span>
          {m.source === 'agent' ? ` (${checkedWord(m)})` : m.source === 'model' ? ' (sentiment model)' : ''}
        </span>
      </dd>
    </div>
  );
}

/**
 * How the customer feels: their first and latest message's sentiment and the change between them, and each
 * distress signal with the words that raised it (a link to the message).
 */
export function CustomerMood({ conversationId }: { conversationId: number }) {
  const mood = useConversationSentiment(conversationId);
  const s = mood.data;
  if (!s?.first) return null;
  const several = s.last && s.last.messageId !== s.first.messageId;
  return (
    <section className="side-card" aria-labelledby={`mood-${conversationId}`}>
      <h2 id={`mood-${conversationId}`} className="side-title">
        Customer mood
      </h2>
      <dl className="sla-list">
        <MoodLine label={several ? 'First message' : 'Message'} m={s.first} />
        {several && s.last && <MoodLine label="Latest message" m={s.last} />}
        {several && s.change !== null && (
          <div>
            <dt>Change</dt>
            <dd>
              {scoreText(s.change)}{' '}
              <span className="small muted">
                {s.change > 0.05 ? '(happier)' : s.change < -0.05 ? '(more upset)' : '(about the same)'}
              </span>
            </dd>
          </div>
        )}
      </dl>
      {s.signals.length > 0 && (
        <ul className="distress-list" aria-label="Distress signals">
          {s.signals.map((x) => (
            <li key={x.signal}>
              <span className="badge distress">{signalLabel[x.signal]}</span>{' '}
              <a href={`#message-${x.messageId}`} className="small">
                {x.phrase ? `“${x.phrase}”` : 'in this message'}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** An agent's label: "confirmed" when it is the lexicon's own, "corrected" when not. */
const checkedWord = (m: ScoredMessage) => (m.label === m.lexiconLabel ? 'confirmed' : 'corrected');

/**
 * A customer message's sentiment in the timeline; agents who can write correct it in place, or confirm it
 * (the same label: the sentiment model learns from what was right too, not only from the lexicon's mistakes).
 */
export function MessageSentiment({
  conversationId,
  messageId,
  writable,
}: {
  conversationId: number;
  messageId: number;
  writable: boolean;
}) {
  const mood = useConversationSentiment(conversationId);
  const client = useQueryClient();
  const correct = useMutation({
    mutationFn: (label: SentimentLabel) => sentimentApi.correct(messageId, label),
    onSuccess: () => void client.invalidateQueries({ queryKey: ['conversation', conversationId] }),
  });
  const m = mood.data?.messages.find((x) => x.messageId === messageId);
  if (!m) return null;
  const lexiconRead = `the lexicon read ${sentimentText[m.lexiconLabel].toLowerCase()}`;
  const title = `Sentiment ${scoreText(m.score)}${m.source === 'agent' ? `, ${checkedWord(m)} by an agent (${lexiconRead})` : m.source === 'model' ? `, by the workspace's sentiment model (${lexiconRead})` : ''}`;
  return (
    <span className="msg-sentiment">
      {writable ? (
        <select
          className={`sentiment-pick sentiment-${m.label}`}
          aria-label="Sentiment of this message"
          title={title}
          value={m.label}
          disabled={correct.isPending}
          onChange={(e) => correct.mutate(e.target.value as SentimentLabel)}
        >
          {(Object.keys(sentimentText) as SentimentLabel[]).map((l) => (
            <option key={l} value={l}>
              {sentimentText[l]}
            </option>
          ))}
        </select>
      ) : (
        <span className={`badge sentiment-${m.label}`} title={title}>
          {sentimentText[m.label]}
        </span>
      )}
      {writable && m.source !== 'agent' && (
        <button
          type="button"
          className="button small sentiment-confirm"
          aria-label="Confirm this message’s sentiment"
          title="Right: keep it as a label the workspace's sentiment model learns from"
          disabled={correct.isPending}
          onClick={() => correct.mutate(m.label)}
        >
          ✓
        </button>
      )}
      {m.source === 'agent' && <span className="small muted"> {checkedWord(m)}</span>}
      {correct.isError && (
        <span className="form-error" role="alert">
          {' '}
          {messageOf(correct.error)}
        </span>
      )}
    </span>
  );
}

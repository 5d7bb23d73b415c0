import { timeText } from '../../api/sla';
import { type Survey, useConversationSurveys } from '../../api/surveys';

function stateText(s: Survey): string {
  switch (s.status) {
    case 'scheduled':
      return `check-in due ${timeText(s.dueAt)}`;
    case 'sent':
      return `check-in sent ${timeText(s.sentAt!)}`;
    case 'reminded':
      return `reminder sent ${timeText(s.remindedAt!)}`;
    case 'answered':
      return `answered ${timeText(s.answeredAt!)}${s.reopenedAt ? ', reopened' : ''}`;
    case 'expired':
      return 'no answer';
    default:
      return `skipped (${(s.skipReason ?? '').replace(/_/g, ' ')})`;
  }
}

/** The follow-up after resolution: where the latest survey is, and what the customer answered. */
export function SurveyState({ conversationId }: { conversationId: number }) {
  const surveys = useConversationSurveys(conversationId);
  const latest = surveys.data?.items[0];
  if (!latest) return null;
  const r = latest.response;
  return (
    <section className="side-card" aria-labelledby={`survey-${conversationId}`}>
      <h2 id={`survey-${conversationId}`} className="side-title">
        Follow-up survey
      </h2>
      <p className="small">{stateText(latest)}</p>
      {r && (
        <dl className="sla-list">
          {r.fixed !== null && (
            <div>
              <dt>Fixed</dt>
              <dd>{r.fixed ? 'yes' : 'no'}</dd>
            </div>
          )}
          {r.csat !== null && (
            <div>
              <dt>CSAT</dt>
              <dd>{r.csat} / 5</dd>
            </div>
          )}
          {r.ces !== null && (
            <div>
              <dt>Effort (CES)</dt>
              <dd>{r.ces} / 7</dd>
            </div>
          )}
          {r.nps !== null && (
            <div>
              <dt>NPS</dt>
              <dd>{r.nps} / 10</dd>
            </div>
          )}
          {r.comment && (
            <div>
              <dt>Comment</dt>
              <dd>“{r.comment}”</dd>
            </div>
          )}
        </dl>
      )}
    </section>
  );
}

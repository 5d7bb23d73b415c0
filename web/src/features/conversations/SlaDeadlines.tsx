import { dueText, type SlaClock, targetLabel, timeText, useConversationSla } from '../../api/sla';

const minutesText = (m: number) => {
  const rounded = Math.round(m);
  return rounded < 60 ? `${rounded} min` : `${Math.floor(rounded / 60)} h ${rounded % 60} min`;
};

function stateText(c: SlaClock, now: number): string {
  switch (c.state) {
    case 'met':
      return `met ${timeText(c.metAt!)}`;
    case 'breached':
      if (c.metAt) return `breached: met late, ${timeText(c.metAt)}`;
      return c.dueAt ? `breached: ${dueText(c.dueAt, now)}` : 'breached';
    case 'paused':
      return `paused, ${minutesText(c.remainingMinutes)} left`;
    case 'stopped':
      return 'stopped (solved)';
    case 'at_risk':
      return c.dueAt ? `at risk: ${dueText(c.dueAt, now)}` : 'at risk';
    default:
      return c.dueAt ? dueText(c.dueAt, now) : 'running';
  }
}

/** The conversation's live SLA deadlines: first response, next response, resolution. */
export function SlaDeadlines({ conversationId }: { conversationId: number }) {
  const sla = useConversationSla(conversationId);
  if (!sla.data || sla.data.clocks.length === 0) return null;
  const now = Date.now();
  return (
    <section className="side-card sla-deadlines" aria-labelledby={`sla-${conversationId}`}>
      <h2 id={`sla-${conversationId}`} className="side-title">
        Deadlines
      </h2>
      <dl className="sla-list">
        {sla.data.clocks.map((c) => (
          <div key={c.target} className="sla-clock">
            <dt>{targetLabel[c.target]}</dt>
            <dd>
              <span className={`badge sla-badge sla-${c.state}`}>{stateText(c, now)}</span>
              {c.dueAt && c.state !== 'met' && <span className="small muted"> (by {timeText(c.dueAt)})</span>}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

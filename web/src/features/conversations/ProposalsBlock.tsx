import { useQuery } from '@tanstack/react-query';
import { portalApi } from '../../api/portal';
import { formatWhen } from '../../format';

/** What the customer said would make this right (proposed in the portal): shown to whoever handles it. */
export function ProposalsBlock({ conversationId }: { conversationId: number }) {
  const proposals = useQuery({
    queryKey: ['conversation', conversationId, 'proposals'],
    queryFn: () => portalApi.proposals(conversationId),
  });
  const items = proposals.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <section className="proposals" aria-labelledby="proposals-title">
      <h2 id="proposals-title">The customer’s proposal</h2>
      <p className="muted">What the customer says would make this right (sent from the customer portal).</p>
      <ul>
        {items.map((p) => (
          <li key={p.id}>
            <p className="proposal-body">{p.body}</p>
            <p className="muted small">
              <time dateTime={p.createdAt}>{formatWhen(p.createdAt)}</time>
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client';
import { formatDuration, handleTimeKey } from './presence';

/** Handle time: agents' active time with the conversation open (PRODUCT.md), per agent. */
export function HandleTime({
  conversationId,
  me,
  personName,
}: {
  conversationId: number;
  me: number;
  personName: (id: number | null) => string | undefined;
}) {
  const times = useQuery({
    queryKey: handleTimeKey(conversationId),
    queryFn: () =>
      api<{ totalSeconds: number; people: Array<{ personId: number; seconds: number }> }>(
        'GET',
        `/conversations/${conversationId}/handle-time`,
      ),
  });
  if (!times.data) return null;
  return (
    <section className="side-card handle-time" aria-labelledby="handle-time-title">
      <h2 id="handle-time-title" className="side-title">
        Handle time
      </h2>
      <p className="handle-total">
        <strong>{formatDuration(times.data.totalSeconds)}</strong>
        <span className="muted small"> with this conversation open and in use</span>
      </p>
      {times.data.people.length > 0 && (
        <ul className="small handle-people">
          {times.data.people.map((p) => (
            <li key={p.personId}>
              {p.personId === me ? 'You' : (personName(p.personId) ?? 'A colleague')}:{' '}
              {formatDuration(p.seconds)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

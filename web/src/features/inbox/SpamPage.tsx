import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from 'react-router';
import { messageOf } from '../../api/client';
import { emailApi, spamKey, useSpam } from '../../api/email';
import { formatWhen } from '../../format';
import { can, useSession } from '../session/session';

/** Mail an upstream filter flagged as spam: kept out of the inbox until someone says it is not. */
export default function SpamPage() {
  const spam = useSpam();
  const session = useSession();
  const client = useQueryClient();
  const navigate = useNavigate();
  const writable = can(session, 'conversations.write');
  const release = useMutation({
    mutationFn: (id: number) => emailApi.release(id),
    onSuccess: (res) => {
      void client.invalidateQueries({ queryKey: spamKey });
      if (res.conversationId) navigate(`/conversations/${res.conversationId}`);
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => emailApi.deleteSpam(id),
    onSuccess: () => void client.invalidateQueries({ queryKey: spamKey }),
  });
  const items = spam.data?.items ?? [];
  const failure = release.error ?? remove.error ?? spam.error;
  return (
    <div className="page">
      <h1>Spam</h1>
      <p className="muted lead">
        Mail your mail server's filter marked as spam. It never reached the inbox or the customer list. “Not
        spam” receives it as a normal conversation. <Link to="/">Back to the inbox</Link>
      </p>
      {failure && (
        <p className="error-box" role="alert">
          {messageOf(failure)}
        </p>
      )}
      {spam.isPending && <p className="loading">Loading…</p>}
      {spam.data && items.length === 0 && <p className="empty">No spam. Nothing is waiting here.</p>}
      {items.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Spam mail</caption>
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">Subject</th>
              <th scope="col">Received</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((s) => (
              <tr key={s.id}>
                <td>{s.from}</td>
                <td>{s.subject || '(no subject)'}</td>
                <td>{formatWhen(s.receivedAt)}</td>
                <td>
                  {writable && (
                    <div className="action-bar">
                      <button type="button" className="button small" onClick={() => release.mutate(s.id)}>
                        Not spam <span className="visually-hidden">: {s.subject}</span>
                      </button>
                      <button type="button" className="button small" onClick={() => remove.mutate(s.id)}>
                        Delete <span className="visually-hidden">{s.subject}</span>
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

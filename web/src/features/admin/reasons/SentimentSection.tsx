import { useMutation, useQueryClient } from '@tanstack/react-query';
import { sentimentModelsApi, sentimentModelsKey, useSentimentModels } from '../../../api/sentiment-models';
import { formatWhen, plural } from '../../../format';
import { ErrorNote, QueryNote } from '../ui';
import { modelStatusText, percent } from './model-status';

/**
 * Sentiment model: what Steward learned from the agents' corrections of sentiment labels, measured against
 * the lexicon on corrections it did not learn from, and "Train now".
 */
export function SentimentSection() {
  const client = useQueryClient();
  const models = useSentimentModels();
  const train = useMutation({
    mutationFn: sentimentModelsApi.train,
    onSuccess: () => void client.invalidateQueries({ queryKey: sentimentModelsKey }),
  });
  const data = models.data;
  const active = data?.items.find((m) => m.status === 'active');
  const training = data?.items.some((m) => m.status === 'training') ?? false;
  // Below the minimum a training could only be rejected: say what is missing instead.
  const tooFew = data !== undefined && data.corrections < data.minimum;
  return (
    <section id="sentiment-model" aria-labelledby="sentiment-model-title" className="admin-section">
      <h2 id="sentiment-model-title">Sentiment model</h2>
      <p className="muted">
        Customer messages are labelled negative, neutral or positive by a lexicon. Where agents correct it (or
        confirm it with ✓ beside a message), Steward learns how this workspace's customers write (the
        lexicon's reading stays one of its inputs); a model labels new messages only once it reads checked
        messages it did not learn from better than the lexicon does. Every 30 new corrections or confirmations
        train the next one.
      </p>
      <QueryNote pending={models.isPending} error={models.error} loading="Loading models…" />
      {data && (
        <p>
          <strong>{data.corrections}</strong> corrected or confirmed{' '}
          {data.corrections === 1 ? 'message' : 'messages'}.{' '}
          {active
            ? `Labelling new messages: the model of ${formatWhen(active.finishedAt ?? active.createdAt)}.`
            : 'Labelling new messages: the lexicon.'}{' '}
          <button
            type="button"
            className="button"
            disabled={training || train.isPending || tooFew}
            aria-describedby={tooFew ? 'sentiment-train-why' : undefined}
            onClick={() => train.mutate()}
          >
            {training ? 'Training…' : 'Train now'}
          </button>
          {tooFew && (
            <>
              {' '}
              <span id="sentiment-train-why" className="small muted">
                Needs {data.minimum} corrections; {data.corrections} so far.
              </span>
            </>
          )}
        </p>
      )}
      <ErrorNote error={train.error} />
      {data && data.items.length > 0 && (
        <table className="table" aria-label="Sentiment models">
          <thead>
            <tr>
              <th scope="col">Trained</th>
              <th scope="col">Status</th>
              <th scope="col">Learned from</th>
              <th scope="col">Held-out accuracy</th>
              <th scope="col">Lexicon on the same</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((m) => (
              <tr key={m.id}>
                <td>{formatWhen(m.finishedAt ?? m.createdAt)}</td>
                <td>
                  {modelStatusText[m.status]}
                  {m.note && <div className="small muted">{m.note}</div>}
                </td>
                <td>{plural(m.examples, 'correction')}</td>
                <td>{percent(m.accuracy)}</td>
                <td>{percent(m.lexiconAccuracy)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

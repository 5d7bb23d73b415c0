import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  type ReasonModel,
  reasonModelsApi,
  reasonModelsKey,
  useReasonModels,
} from '../../../api/reason-models';
import { formatWhen } from '../../../format';
import { ErrorNote, QueryNote } from '../ui';
import { modelStatusText, percent } from './model-status';
import { useReasons } from './ReasonsPage';

/** How far to trust a model: its held-out confidence against how often it was right, bin by bin. */
function Reliability({ model }: { model: ReasonModel }) {
  const rows = model.reliability.filter((b) => b.count > 0);
  return (
    <table className="table" aria-label="Reliability of the active model">
      <caption className="small muted">
        On {model.heldOut} held-out conversations: when the model says this sure, it is right this often
        (expected calibration error {percent(model.ece)}).
      </caption>
      <thead>
        <tr>
          <th scope="col">Confidence</th>
          <th scope="col">Predictions</th>
          <th scope="col">Mean confidence</th>
          <th scope="col">Right</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((b) => (
          <tr key={b.from}>
            <td>
              {Math.round(b.from * 100)}–{Math.round(b.to * 100)} %
            </td>
            <td>{b.count}</td>
            <td>{percent(b.confidence)}</td>
            <td>{percent(b.accuracy)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** At or above which confidence the model sets a reason itself; 100 %: never, it only suggests. */
function ApplyAbove() {
  const client = useQueryClient();
  const settings = useQuery({ queryKey: ['reason-prediction-settings'], queryFn: reasonModelsApi.settings });
  const [percent, setPercent] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (applyAbove: number) => reasonModelsApi.saveSettings({ applyAbove }),
    onSuccess: (saved) => {
      client.setQueryData(['reason-prediction-settings'], saved);
      setPercent(null);
    },
  });
  if (!settings.data) return null;
  const shown = percent ?? String(Math.round(settings.data.applyAbove * 100));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate(Number(shown) / 100);
  };
  return (
    <form className="admin-form" onSubmit={submit}>
      <div className="field">
        <label htmlFor="apply-above">
          Set the reason automatically when the model is at least this sure (%)
        </label>
        <input
          id="apply-above"
          type="number"
          min={50}
          max={100}
          step={1}
          required
          value={shown}
          onChange={(e) => setPercent(e.target.value)}
        />
        <p className="small muted">Below it, agents see the top three as suggestions. 100 %: only suggest.</p>
      </div>
      <button type="submit" className="button" disabled={save.isPending || percent === null}>
        Save
      </button>
      {save.isSuccess && percent === null && <span className="small muted"> Saved.</span>}
      <ErrorNote error={save.error} />
    </form>
  );
}

/**
 * Reason prediction: what Steward has learned from the workspace's labelled conversations, how well each
 * model did on conversations it had not seen, and "Train now".
 */
export function PredictionSection() {
  const client = useQueryClient();
  const models = useReasonModels();
  const reasons = useReasons();
  const train = useMutation({
    mutationFn: reasonModelsApi.train,
    onSuccess: () => void client.invalidateQueries({ queryKey: reasonModelsKey }),
  });
  const data = models.data;
  const active = data?.items.find((m) => m.status === 'active');
  const training = data?.items.some((m) => m.status === 'training') ?? false;
  const name = (id: number) => reasons.data?.items.find((r) => r.id === id)?.name ?? `#${id}`;
  return (
    <section id="reason-prediction" aria-labelledby="prediction-title" className="admin-section">
      <h2 id="prediction-title">Reason prediction</h2>
      <p className="muted">
        Steward learns the reasons from this workspace's own conversations: those whose reason an agent set or
        confirmed. Each model is measured on a fifth of them it did not learn from, and replaces the active
        one only when it does as well.
      </p>
      <QueryNote pending={models.isPending} error={models.error} loading="Loading models…" />
      {data && (
        <p>
          <strong>{data.labelled}</strong> labelled conversations
          {data.labelled < data.minimum ? ` (at least ${data.minimum} are needed to learn from)` : ''}.{' '}
          <button
            type="button"
            className="button"
            disabled={training || train.isPending || data.labelled < data.minimum}
            onClick={() => train.mutate()}
          >
            {training ? 'Training…' : 'Train now'}
          </button>
        </p>
      )}
      <ErrorNote error={train.error} />
      <ApplyAbove />
      {active && <Reliability model={active} />}
      {data && data.items.length > 0 && (
        <table className="table" aria-label="Models">
          <thead>
            <tr>
              <th scope="col">Trained</th>
              <th scope="col">Status</th>
              <th scope="col">Learned from</th>
              <th scope="col">Held-out accuracy</th>
              <th scope="col">Weakest reason</th>
            </tr>
          </thead>
          <tbody>
            {data.items.map((m) => {
              const weakest = [...m.perReason].sort((a, b) => a.recall - b.recall)[0];
              return (
                <tr key={m.id}>
                  <td>{formatWhen(m.finishedAt ?? m.createdAt)}</td>
                  <td>
                    {modelStatusText[m.status]}
                    {m.note && <div className="small muted">{m.note}</div>}
                  </td>
                  <td>
                    {m.examples} conversations, {m.reasons} reasons
                    {m.selfLabelled > 0 && (
                      <div className="small muted">
                        and {m.selfLabelled} unlabelled ones it labelled itself
                      </div>
                    )}
                  </td>
                  <td>
                    {percent(m.accuracy)}
                    {m.noneFits && (
                      <div className="small muted">
                        “None fits” found: {percent(m.noneFits.recall)} of {m.noneFits.support}
                      </div>
                    )}
                  </td>
                  <td>
                    {weakest
                      ? `${name(weakest.reasonId)} (${Math.round(weakest.recall * weakest.support)} of ${weakest.support} found)`
                      : '–'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

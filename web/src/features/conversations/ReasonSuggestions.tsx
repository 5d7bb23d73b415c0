import type { ContactReason, ReasonPrediction } from '../../api/reasons';

/**
 * What the reason model suggests for a conversation nobody gave a reason yet: the top three with how sure it
 * is, each one click to accept; or "none of these" when the text fits no known reason well. "None of these"
 * is a label too: the person says no reason fits (a new problem), and the model learns it.
 */
export function ReasonSuggestions({
  prediction,
  reasons,
  editable,
  onAccept,
  onNoneFits,
}: {
  prediction: ReasonPrediction;
  reasons: ContactReason[] | undefined;
  editable: boolean;
  onAccept(reasonId: number): void;
  onNoneFits(): void;
}) {
  const known = prediction.ranked
    .map((r) => ({ ...r, reason: reasons?.find((x) => x.id === r.reasonId && x.status === 'active') }))
    .filter((r) => r.reason);
  return (
    <section className="reason-suggestions" aria-label="Suggested reasons">
      {prediction.outOfScope ? (
        <p className="small muted">
          None of the known reasons fits this well: perhaps a new problem. Closest:
        </p>
      ) : (
        <p className="small muted">Suggested from the customer's first message:</p>
      )}
      <ul>
        {known.map((r) => (
          <li key={r.reasonId}>
            <button
              type="button"
              className="button small"
              disabled={!editable}
              onClick={() => onAccept(r.reasonId)}
            >
              {r.reason!.pathText}
            </button>{' '}
            <span className="small muted nowrap">{Math.round(r.probability * 100)}&nbsp;%</span>
          </li>
        ))}
        <li>
          <button
            type="button"
            className="button small"
            disabled={!editable}
            onClick={onNoneFits}
            title="No reason of the taxonomy fits: a new problem, listed under the inbox's “No reason fits”"
          >
            None of these
          </button>
        </li>
      </ul>
    </section>
  );
}

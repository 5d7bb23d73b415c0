import type { ContactReason, ReasonPrediction } from '../../api/reasons';

/**
 * What the reason model suggests for a conversation nobody gave a reason yet: the top three with how sure it
 * is, each one click to accept; or "none of these" when the text fits no known reason well.
 */
export function ReasonSuggestions({
  prediction,
  reasons,
  editable,
  onAccept,
}: {
  prediction: ReasonPrediction;
  reasons: ContactReason[] | undefined;
  editable: boolean;
  onAccept(reasonId: number): void;
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
            <span className="small muted">{Math.round(r.probability * 100)} %</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

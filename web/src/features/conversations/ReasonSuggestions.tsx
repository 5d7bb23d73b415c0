import type { ContactReason, NameMatch, ReasonPrediction } from '../../api/reasons';

/**
 * What Steward suggests for a conversation nobody gave a reason yet: the reason model's top three with how
 * sure it is, or (no model yet) the reasons whose names match the customer's words, each one click to accept;
 * "none of these" when the text fits no known reason well. "None of these" is a label too: the person says no
 * reason fits (a new problem), and the model learns it.
 */
export function ReasonSuggestions({
  prediction,
  nameMatches,
  reasons,
  editable,
  onAccept,
  onNoneFits,
}: {
  prediction: ReasonPrediction | null;
  nameMatches: NameMatch[];
  reasons: ContactReason[] | undefined;
  editable: boolean;
  onAccept(reasonId: number): void;
  onNoneFits(): void;
}) {
  // The model's probabilities are calibrated and shown; the names' similarity is not a probability.
  const ranked: Array<{ reasonId: number; probability?: number }> = prediction?.ranked ?? nameMatches;
  const known = ranked
    .map((r) => ({ ...r, reason: reasons?.find((x) => x.id === r.reasonId && x.status === 'active') }))
    .filter((r) => r.reason);
  return (
    <section className="reason-suggestions" aria-label="Suggested reasons">
      {prediction === null ? (
        <p className="small muted">No reason model yet: these reasons' names match the customer's words.</p>
      ) : prediction.outOfScope ? (
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
            </button>
            {r.probability !== undefined && (
              <span className="small muted nowrap">{Math.round(r.probability * 100)}&nbsp;%</span>
            )}
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

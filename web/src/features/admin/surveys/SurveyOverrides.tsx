import type { FollowUpSettings, SurveyQuestions } from '../../../api/surveys';
import type { Channel } from '../../../api/types';

type Override = FollowUpSettings['overrides'][number];
type Question = keyof SurveyQuestions;

const channels: Channel[] = ['email', 'chat', 'webform', 'sms', 'whatsapp', 'social', 'api'];
const questionNames: Record<Question, string> = {
  csat: 'CSAT',
  ces: 'Customer effort',
  nps: 'NPS',
  comment: 'Comment',
};

/**
 * Different questions for a channel, a customer tier, or both: each row names what it matches and, per
 * question, ask / don't ask / as the workspace. Later rows win where several match.
 */
export function SurveyOverrides({
  overrides,
  onChange,
}: {
  overrides: Override[];
  onChange: (next: Override[]) => void;
}) {
  const change = (i: number, patch: Partial<Override>) =>
    onChange(overrides.map((o, j) => (j === i ? { ...o, ...patch } : o)));
  const setQuestion = (i: number, q: Question, value: string) => {
    const questions = { ...overrides[i]?.questions };
    if (value === '') delete questions[q];
    else questions[q] = value === 'ask';
    change(i, { questions });
  };
  return (
    <fieldset className="survey-overrides">
      <legend>Per channel or customer tier</legend>
      {overrides.length === 0 && (
        <p className="small muted">Every channel and tier gets the questions above.</p>
      )}
      {overrides.map((o, i) => {
        const n = i + 1;
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id; their position is their identity
          <fieldset key={i} className="survey-override">
            <legend>Rule {n}</legend>
            <label className="override-field">
              Channel
              <select
                aria-label={`Rule ${n} channel`}
                value={o.channel ?? ''}
                onChange={(e) => {
                  const { channel: _c, ...rest } = o;
                  onChange(
                    overrides.map((x, j) =>
                      j === i ? (e.target.value ? { ...rest, channel: e.target.value as Channel } : rest) : x,
                    ),
                  );
                }}
              >
                <option value="">any</option>
                {channels.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            </label>
            <label className="override-field">
              Tier
              <input
                aria-label={`Rule ${n} tier`}
                value={o.tier ?? ''}
                maxLength={50}
                placeholder="any"
                onChange={(e) => {
                  const { tier: _t, ...rest } = o;
                  onChange(
                    overrides.map((x, j) =>
                      j === i ? (e.target.value.trim() ? { ...rest, tier: e.target.value } : rest) : x,
                    ),
                  );
                }}
              />
            </label>
            {(Object.keys(questionNames) as Question[]).map((q) => (
              <label key={q} className="override-field">
                {questionNames[q]}
                <select
                  aria-label={`Rule ${n} ${questionNames[q]}`}
                  value={o.questions[q] === undefined ? '' : o.questions[q] ? 'ask' : 'skip'}
                  onChange={(e) => setQuestion(i, q, e.target.value)}
                >
                  <option value="">as above</option>
                  <option value="ask">ask</option>
                  <option value="skip">don't ask</option>
                </select>
              </label>
            ))}
            <button
              type="button"
              className="button"
              onClick={() => onChange(overrides.filter((_, j) => j !== i))}
            >
              Remove rule {n}
            </button>
          </fieldset>
        );
      })}
      <button
        type="button"
        className="button"
        onClick={() => onChange([...overrides, { channel: 'chat', questions: {} }])}
      >
        Add a rule
      </button>
      <p className="small muted">
        A rule applies where all it names matches (tiers compare case-insensitively); where several apply, the
        later one wins.
      </p>
    </fieldset>
  );
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api, messageOf } from '../../api/client';
import type { Conversation, Message } from '../../api/types';

export const callOutcomeLabel = {
  resolved: 'Resolved on the call',
  follow_up: 'Needs a follow-up',
  no_answer: 'No answer',
  voicemail: 'Left a voicemail',
  callback_agreed: 'Call-back agreed',
} as const;
type Outcome = keyof typeof callOutcomeLabel;

const clock = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

/** "Outbound call · 4:05 · Resolved on the call", under a logged call in the timeline. */
export function CallDetails({ call }: { call: Message['call'] }) {
  if (!call) return null;
  return (
    <p className="msg-email small muted">
      {call.direction === 'inbound' ? 'Inbound call' : 'Outbound call'} · {clock(call.durationSeconds)} ·{' '}
      {callOutcomeLabel[call.outcome]}
    </p>
  );
}

/** Logs a phone call on the conversation: which way, how long, how it ended, and notes. */
export function CallDialog({ conversation, onClose }: { conversation: Conversation; onClose(): void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  const client = useQueryClient();
  const [direction, setDirection] = useState<'inbound' | 'outbound'>('outbound');
  const [minutes, setMinutes] = useState('0');
  const [seconds, setSeconds] = useState('0');
  const [outcome, setOutcome] = useState<Outcome>('resolved');
  const [notes, setNotes] = useState('');
  const log = useMutation({
    mutationFn: () =>
      api('POST', `/conversations/${conversation.id}/calls`, {
        direction,
        durationSeconds: Number(minutes) * 60 + Number(seconds),
        outcome,
        ...(notes.trim() ? { notes } : {}),
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ['conversation', conversation.id] });
      void client.invalidateQueries({ queryKey: ['conversations'] });
      dialog.current?.close();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    log.mutate();
  };
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="call-title" onClose={onClose}>
      <form className="view-form" onSubmit={submit}>
        <h2 id="call-title">Log a call</h2>
        <fieldset className="field">
          <legend>Who called</legend>
          <label className="check">
            <input
              type="radio"
              name="call-direction"
              checked={direction === 'outbound'}
              onChange={() => setDirection('outbound')}
            />{' '}
            We called the customer
          </label>
          <label className="check">
            <input
              type="radio"
              name="call-direction"
              checked={direction === 'inbound'}
              onChange={() => setDirection('inbound')}
            />{' '}
            The customer called us
          </label>
        </fieldset>
        <fieldset className="field">
          <legend>Duration</legend>
          <label htmlFor="call-minutes">Minutes</label>{' '}
          <input
            id="call-minutes"
            type="number"
            min={0}
            max={1440}
            required
            value={minutes}
            onChange={(e) => setMinutes(e.target.value)}
          />{' '}
          <label htmlFor="call-seconds">Seconds</label>{' '}
          <input
            id="call-seconds"
            type="number"
            min={0}
            max={59}
            required
            value={seconds}
            onChange={(e) => setSeconds(e.target.value)}
          />
        </fieldset>
        <div className="field">
          <label htmlFor="call-outcome">Outcome</label>
          <select id="call-outcome" value={outcome} onChange={(e) => setOutcome(e.target.value as Outcome)}>
            {Object.entries(callOutcomeLabel).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="call-notes">Notes</label>
          <textarea id="call-notes" rows={4} value={notes} onChange={(e) => setNotes(e.target.value)} />
        </div>
        {log.isError && (
          <p className="form-error" role="alert">
            {messageOf(log.error)}
          </p>
        )}
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={log.isPending}>
            Log call
          </button>
          <button type="button" className="button" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { messageOf } from '../../api/client';
import {
  type ContactReason,
  setContactReason,
  useContactReasons,
  useReasonPrediction,
} from '../../api/reasons';
import type { Conversation, ConversationDetail } from '../../api/types';
import { formatWhen } from '../../format';
import { usePersonName } from '../session/session';
import { movedActive, useActiveInView } from './listbox';
import { ReasonSuggestions } from './ReasonSuggestions';

/**
 * Why the customer got in touch: the conversation's contact reason (its path, whether it is avoidable, who set
 * it and when), a searchable picker over the active reasons, "none of these" (no reason fits: a new problem),
 * and clear. Changes by colleagues arrive through the realtime push of the conversation.
 */
export function ContactReasonField({
  conversation,
  writable,
}: {
  conversation: Conversation;
  writable: boolean;
}) {
  const client = useQueryClient();
  const personName = usePersonName();
  const reasons = useContactReasons();
  const [picking, setPicking] = useState(false);
  const [notice, setNotice] = useState('');
  const changeButton = useRef<HTMLButtonElement>(null);
  const currentId = conversation.contactReasonId ?? null;
  const noneFits = conversation.contactReasonNoneFits === true;
  const unset = currentId === null && !noneFits;
  const current = currentId === null ? undefined : reasons.data?.find((r) => r.id === currentId);

  // A reason newer than the cached taxonomy (set by a colleague just now): fetch the taxonomy again.
  const missing = currentId !== null && reasons.isSuccess && !current;
  const { refetch, isFetching } = reasons;
  useEffect(() => {
    if (missing && !isFetching) void refetch();
  }, [missing, isFetching, refetch]);

  const predicted = useReasonPrediction(conversation.id).data;
  const prediction = predicted?.prediction ?? null;
  const nameMatches = predicted?.nameMatches ?? [];
  const suggesting = unset && (prediction !== null || nameMatches.length > 0);
  const save = useMutation({
    mutationFn: (pick: number | 'none_fits' | null | { suggested: number }) =>
      typeof pick === 'object' && pick !== null
        ? setContactReason(conversation.id, pick.suggested, 'suggestion')
        : setContactReason(conversation.id, pick),
    onSuccess: (c, pick) => {
      const id = typeof pick === 'object' && pick !== null ? pick.suggested : pick;
      client.setQueryData<ConversationDetail>(['conversation', c.id], (d) =>
        d ? { ...d, conversation: c } : d,
      );
      void client.invalidateQueries({ queryKey: ['conversation', c.id] });
      const picked = reasons.data?.find((r) => r.id === id);
      setNotice(
        id === null
          ? 'Contact reason cleared.'
          : id === 'none_fits'
            ? 'Marked: no contact reason fits.'
            : `Contact reason set to ${picked?.pathText ?? 'the reason'}.`,
      );
    },
  });
  const editable = writable && conversation.status !== 'closed';

  const setter = () => {
    if (conversation.contactReasonSource === 'rule') return 'Set by a rule';
    if (conversation.contactReasonSource === 'model')
      return `Set by Steward's reason model (${Math.round((prediction?.confidence ?? 0) * 100)} % sure): correct it if it is wrong`;
    const who = personName(conversation.contactReasonSetById ?? null) ?? 'a colleague';
    return conversation.contactReasonSource === 'suggestion'
      ? `Suggestion accepted by ${who}`
      : `Set by ${who}`;
  };

  const setBy = conversation.contactReasonSetAt && (
    <p className="muted small reason-by">
      {setter()} ·{' '}
      <time dateTime={conversation.contactReasonSetAt}>{formatWhen(conversation.contactReasonSetAt)}</time>
    </p>
  );

  return (
    <section className="side-card reason-card" aria-labelledby="reason-title">
      <h2 id="reason-title" className="side-title">
        Contact reason
      </h2>
      {noneFits ? (
        <>
          <p className="reason-path reason-none-fits">
            <span>None of the reasons fits</span>
            <span className="badge" title="Perhaps a new problem: the taxonomy may need a reason for it">
              New problem?
            </span>
          </p>
          {setBy}
        </>
      ) : currentId === null ? (
        <p className="muted reason-none">Not set yet.</p>
      ) : current ? (
        <>
          <p className="reason-path">
            <span>{current.pathText}</span>
            {current.avoidable && (
              <span
                className="badge badge-avoidable"
                title="Failure demand: a contact that should not have been needed"
              >
                Avoidable
              </span>
            )}
            {current.status === 'archived' && <span className="badge">Archived</span>}
          </p>
          {setBy}
        </>
      ) : reasons.isError ? (
        <p role="alert">The contact reasons could not be loaded. {messageOf(reasons.error)}</p>
      ) : (
        <p className="muted">Loading…</p>
      )}
      {suggesting && (
        <ReasonSuggestions
          prediction={prediction}
          nameMatches={nameMatches}
          reasons={reasons.data}
          editable={editable && !save.isPending}
          onAccept={(id) => save.mutate({ suggested: id })}
          onNoneFits={() => save.mutate('none_fits')}
        />
      )}
      {editable && !picking && (
        <div className="reason-actions">
          <button
            ref={changeButton}
            type="button"
            className="button small"
            onClick={() => setPicking(true)}
            disabled={save.isPending}
          >
            {unset ? 'Set reason' : 'Change'}
          </button>
          {!noneFits && !suggesting && (
            <button
              type="button"
              className="button small"
              disabled={save.isPending}
              onClick={() => save.mutate('none_fits')}
              title="No reason of the taxonomy fits: a new problem, listed under the inbox's “No reason fits”"
            >
              None fits
            </button>
          )}
          {!unset && (
            <button
              type="button"
              className="button small"
              disabled={save.isPending}
              onClick={() => save.mutate(null)}
            >
              Clear
            </button>
          )}
        </div>
      )}
      {picking && (
        <ReasonPicker
          reasons={reasons.data}
          loading={reasons.isPending}
          currentId={currentId}
          onPick={(r) => {
            setPicking(false);
            save.mutate(r.id);
            queueMicrotask(() => changeButton.current?.focus());
          }}
          onCancel={() => {
            setPicking(false);
            queueMicrotask(() => changeButton.current?.focus());
          }}
        />
      )}
      {save.isError && (
        <p className="form-error" role="alert">
          The contact reason was not saved. {messageOf(save.error)}
        </p>
      )}
      <p className="visually-hidden" role="status">
        {notice}
      </p>
    </section>
  );
}

/** Words typed, each found in the path: "bill twice" finds "Billing > Charged twice". */
function matches(reason: ContactReason, query: string): boolean {
  const text = reason.pathText.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => text.includes(w));
}

function ReasonPicker({
  reasons,
  loading,
  currentId,
  onPick,
  onCancel,
}: {
  reasons: ContactReason[] | undefined;
  loading: boolean;
  currentId: number | null;
  onPick(r: ContactReason): void;
  onCancel(): void;
}) {
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
  }, []);
  const usable = useMemo(() => (reasons ?? []).filter((r) => r.status === 'active'), [reasons]);
  const shown = useMemo(() => usable.filter((r) => matches(r, query)), [usable, query]);
  const activeId = shown[active] ? `reason-option-${shown[active].id}` : undefined;
  useActiveInView(activeId);

  return (
    <fieldset
      className="reason-picker"
      onBlur={(e) => {
        if (e.relatedTarget && !e.currentTarget.contains(e.relatedTarget as Node)) onCancel();
      }}
    >
      <legend className="visually-hidden">Choose a contact reason</legend>
      <label htmlFor="reason-search" className="small">
        Find a contact reason
      </label>
      <input
        id="reason-search"
        ref={input}
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls="reason-options"
        aria-autocomplete="list"
        aria-activedescendant={activeId}
        autoComplete="off"
        placeholder="Type to filter, e.g. refund"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
        }}
        onKeyDown={(e) => {
          const next = movedActive(e.key, active, shown.length);
          if (next !== null) {
            e.preventDefault();
            setActive(next);
          } else if (e.key === 'Enter') {
            e.preventDefault();
            const picked = shown[active];
            if (picked) onPick(picked);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            onCancel();
          }
        }}
      />
      <div id="reason-options" role="listbox" aria-label="Active contact reasons" className="options">
        {shown.map((r, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox's field handles the keyboard
          <div
            key={r.id}
            tabIndex={-1}
            id={`reason-option-${r.id}`}
            role="option"
            aria-selected={i === active}
            className={`option${i === active ? ' active' : ''}${r.id === currentId ? ' current' : ''}`}
            onMouseDown={(e) => e.preventDefault()}
            onMouseMove={() => setActive(i)}
            onClick={() => onPick(r)}
          >
            <span className="option-text">
              {r.path.length > 1 && <span className="muted">{r.path.slice(0, -1).join(' > ')} &gt; </span>}
              {r.name}
              {r.id === currentId && <span className="muted"> (current)</span>}
            </span>
            {r.avoidable && <span className="badge badge-avoidable">Avoidable</span>}
          </div>
        ))}
      </div>
      {loading && <p className="muted small">Loading the reasons…</p>}
      {!loading && usable.length === 0 && (
        <p className="muted small">No contact reasons are defined yet. A manager or admin sets them up.</p>
      )}
      {!loading && usable.length > 0 && shown.length === 0 && (
        <p className="muted small" role="status">
          No active reason matches “{query}”.
        </p>
      )}
      <div className="reason-actions">
        <span className="muted small">↑ ↓ to choose, Enter to set, Esc to cancel</span>
        <button type="button" className="button small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}

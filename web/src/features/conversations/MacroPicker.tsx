import { useMutation } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { messageOf } from '../../api/client';
import { type Macro, macrosApi, useMacros } from '../../api/macros';
import type { Conversation } from '../../api/types';
import { movedActive, useActiveInView } from './listbox';

/** What a macro does besides its text, in a few words ("sets Pending, tags refund"). */
export function actionSummary(m: Macro): string {
  const a = m.actions;
  const parts: string[] = [];
  if (a.status) parts.push(`sets ${a.status.replace('_', ' ')}`);
  if (a.priority) parts.push(`${a.priority} priority`);
  if (a.assigneeId !== undefined) parts.push(a.assigneeId === null ? 'unassigns' : 'assigns');
  if (a.teamId !== undefined) parts.push(a.teamId === null ? 'removes the team' : 'moves to a team');
  if (a.addTags?.length) parts.push(`tags ${a.addTags.join(', ')}`);
  if (a.removeTags?.length) parts.push(`untags ${a.removeTags.join(', ')}`);
  return parts.join(', ');
}

/**
 * The composer's macro button: a searchable list of my macros and the shared ones. Choosing one applies its
 * actions to the conversation at once and hands its text (placeholders filled in) to the composer to edit.
 */
export function MacroPicker({
  conversationId,
  onApplied,
}: {
  conversationId: number;
  onApplied(text: string, conversation: Conversation, macro: Macro): void;
}) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const apply = useMutation({
    mutationFn: (m: Macro) => macrosApi.apply(m.id, conversationId),
    onSuccess: (res, m) => {
      setOpen(false);
      onApplied(res.text, res.conversation, m);
    },
  });
  return (
    <div className="macro-picker">
      <button
        ref={button}
        id="macro-button"
        type="button"
        className="button small"
        aria-expanded={open}
        aria-keyshortcuts="m"
        onClick={() => setOpen((o) => !o)}
      >
        Macros
      </button>
      {open && (
        <MacroList
          busy={apply.isPending}
          onPick={(m) => apply.mutate(m)}
          onCancel={() => {
            setOpen(false);
            button.current?.focus();
          }}
        />
      )}
      {apply.isError && (
        <p className="form-error" role="alert">
          The macro could not be applied: {messageOf(apply.error)}
        </p>
      )}
    </div>
  );
}

function MacroList({ busy, onPick, onCancel }: { busy: boolean; onPick(m: Macro): void; onCancel(): void }) {
  const macros = useMacros();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
  }, []);
  const shown = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return (macros.data?.items ?? []).filter((m) =>
      words.every((w) => `${m.name} ${m.body}`.toLowerCase().includes(w)),
    );
  }, [macros.data, query]);
  const activeId = shown[active] ? `macro-option-${shown[active].id}` : undefined;
  useActiveInView(activeId);
  return (
    <fieldset
      className="macro-list"
      onBlur={(e) => {
        if (e.relatedTarget && !e.currentTarget.contains(e.relatedTarget as Node)) onCancel();
      }}
    >
      <legend className="visually-hidden">Apply a macro</legend>
      <label htmlFor="macro-search" className="small">
        Find a macro
      </label>
      <input
        id="macro-search"
        ref={input}
        type="text"
        role="combobox"
        aria-expanded="true"
        aria-controls="macro-options"
        aria-autocomplete="list"
        aria-activedescendant={activeId}
        autoComplete="off"
        placeholder="Type to filter, e.g. refund"
        value={query}
        disabled={busy}
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
      <div id="macro-options" role="listbox" aria-label="Macros" className="options">
        {shown.map((m, i) => (
          // biome-ignore lint/a11y/useKeyWithClickEvents: the combobox's field handles the keyboard
          <div
            key={m.id}
            tabIndex={-1}
            id={`macro-option-${m.id}`}
            role="option"
            aria-selected={i === active}
            className={`option${i === active ? ' active' : ''}`}
            onMouseDown={(e) => e.preventDefault()}
            onMouseMove={() => setActive(i)}
            onClick={() => onPick(m)}
          >
            <span className="option-text">
              {m.name}
              {!m.shared && <span className="muted"> (mine)</span>}
            </span>
            <span className="muted small">{actionSummary(m)}</span>
          </div>
        ))}
      </div>
      {macros.isPending && <p className="muted small">Loading the macros…</p>}
      {macros.isError && <p role="alert">The macros could not be loaded. {messageOf(macros.error)}</p>}
      {macros.isSuccess && macros.data.items.length === 0 && (
        <p className="muted small">No macros yet. Leads and admins add shared ones under Admin → Macros.</p>
      )}
      {macros.isSuccess && macros.data.items.length > 0 && shown.length === 0 && (
        <p className="muted small" role="status">
          No macro matches “{query}”.
        </p>
      )}
      <p className="muted small">↑ ↓ to choose, Enter to apply, Esc to cancel</p>
    </fieldset>
  );
}

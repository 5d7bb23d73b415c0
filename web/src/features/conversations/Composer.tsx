import { useMutation } from '@tanstack/react-query';
import { type FormEvent, type RefObject, useMemo, useRef, useState } from 'react';
import { api, messageOf } from '../../api/client';
import type { Channel, Conversation, Message, Person } from '../../api/types';
import { channelLabel, plural } from '../../format';
import { usePeople, useSession } from '../session/session';
import { UploadChips, useUploads } from './attachments';
import { movedActive, useActiveInView } from './listbox';
import { MacroPicker } from './MacroPicker';
import { type MentionQuery, mentionAt, mentionCandidates, mentionIdsIn } from './mentions';

export type Mode = 'outbound' | 'note';

type SendInput = {
  direction: Mode;
  body: string;
  channel?: Channel;
  cc?: string[];
  bcc?: string[];
  attachmentIds?: number[];
  mentionIds?: number[];
};

const addressList = (s: string) =>
  s
    .split(/[,;\s]+/)
    .map((a) => a.trim())
    .filter(Boolean);

/**
 * Replies and internal notes: the text (in a note, `@` offers colleagues to mention), files attached by button
 * or drag and drop (uploaded at once), Ctrl+Enter sends.
 */
export function Composer({
  conversationId,
  customerName,
  mode,
  onModeChange,
  textarea,
  onSent,
  onMacroApplied,
  channels,
  defaultChannel,
}: {
  conversationId: number;
  /** Where a reply can go; by default where the customer last wrote. */
  channels: Channel[];
  defaultChannel: Channel;
  customerName: string | undefined;
  mode: Mode;
  onModeChange(mode: Mode): void;
  textarea: RefObject<HTMLTextAreaElement | null>;
  onSent(conversation: Conversation, direction: Mode): void;
  /** A macro changed the conversation (its actions); its text is already in the box. */
  onMacroApplied?(conversation: Conversation, name: string): void;
}) {
  const session = useSession();
  const people = usePeople();
  const [body, setBody] = useState('');
  const [mention, setMention] = useState<MentionQuery | null>(null);
  const [active, setActive] = useState(0);
  const [chosen, setChosen] = useState<Person[]>([]);
  const [dragging, setDragging] = useState(false);
  const [channel, setChannel] = useState<Channel>(defaultChannel);
  const [cc, setCc] = useState('');
  const [bcc, setBcc] = useState('');
  const fileInput = useRef<HTMLInputElement>(null);
  const uploads = useUploads(session.csrfToken);

  const send = useMutation({
    mutationFn: (input: SendInput) =>
      api<{ conversation: Conversation; message: Message }>(
        'POST',
        `/conversations/${conversationId}/messages`,
        input,
      ),
    // The text leaves the box when sent (typing on meanwhile is kept), and comes back if sending fails.
    onError: (_err, input) => setBody((current) => current || input.body),
    onSuccess: (res, input) => {
      uploads.clear();
      setCc('');
      setBcc('');
      setChosen([]);
      onSent(res.conversation, input.direction);
    },
  });

  const candidates = useMemo(
    () =>
      mode === 'note' && mention
        ? mentionCandidates(people.data?.items ?? [], mention.query, session.person.id)
        : [],
    [mode, mention, people.data, session.person.id],
  );
  const open = candidates.length > 0;
  const activeId = open && candidates[active] ? `mention-option-${candidates[active].id}` : undefined;
  useActiveInView(activeId);

  const track = (el: HTMLTextAreaElement) => {
    const next = mode === 'note' ? mentionAt(el.value, el.selectionStart) : null;
    setMention((prev) => (prev?.start === next?.start && prev?.query === next?.query ? prev : next));
    if (next?.query !== mention?.query) setActive(0);
  };
  const insert = (p: Person) => {
    if (!mention) return;
    const text = `${body.slice(0, mention.start)}@${p.name} ${body.slice(mention.end)}`;
    const caret = mention.start + p.name.length + 2;
    setBody(text);
    setChosen((c) => (c.some((x) => x.id === p.id) ? c : [...c, p]));
    setMention(null);
    requestAnimationFrame(() => {
      textarea.current?.focus();
      textarea.current?.setSelectionRange(caret, caret);
    });
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!body.trim() || send.isPending || uploads.busy) return;
    const input: SendInput = { direction: mode, body };
    if (mode === 'outbound') {
      input.channel = channel;
      if (channel === 'email' && addressList(cc).length) input.cc = addressList(cc);
      if (channel === 'email' && addressList(bcc).length) input.bcc = addressList(bcc);
    }
    if (uploads.ids.length > 0) input.attachmentIds = uploads.ids;
    const mentionIds = mode === 'note' ? mentionIdsIn(body, chosen) : [];
    if (mentionIds.length > 0) input.mentionIds = mentionIds;
    send.mutate(input);
    setBody('');
    setMention(null);
  };
  const failed = uploads.uploads.some((u) => u.state === 'failed');

  return (
    <form
      className={`composer composer-${mode}${dragging ? ' dragging' : ''}`}
      onSubmit={submit}
      onDragEnter={(e) => {
        if (e.dataTransfer.types.includes('Files')) setDragging(true);
      }}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        e.dataTransfer.dropEffect = 'copy';
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(e) => {
        if (e.dataTransfer.files.length === 0) return;
        e.preventDefault();
        setDragging(false);
        uploads.add(Array.from(e.dataTransfer.files));
      }}
    >
      <div className="composer-tabs" role="radiogroup" aria-label="Kind of message">
        <label className={mode === 'outbound' ? 'active' : ''}>
          <input
            type="radio"
            name="mode"
            value="outbound"
            checked={mode === 'outbound'}
            onChange={() => onModeChange('outbound')}
          />
          Reply to customer <kbd>r</kbd>
        </label>
        <label className={mode === 'note' ? 'active' : ''}>
          <input
            type="radio"
            name="mode"
            value="note"
            checked={mode === 'note'}
            onChange={() => onModeChange('note')}
          />
          Internal note <kbd>n</kbd>
        </label>
      </div>
      {mode === 'outbound' && (
        <div className="composer-route">
          <label htmlFor="composer-channel">Send via</label>
          <select
            id="composer-channel"
            value={channel}
            onChange={(e) => setChannel(e.target.value as Channel)}
          >
            {channels.map((c) => (
              <option key={c} value={c}>
                {channelLabel[c]}
              </option>
            ))}
          </select>
          {channel === 'email' && (
            <>
              <label htmlFor="composer-cc">Cc</label>
              <input
                id="composer-cc"
                type="text"
                inputMode="email"
                placeholder="addresses, comma separated"
                value={cc}
                onChange={(e) => setCc(e.target.value)}
              />
              <label htmlFor="composer-bcc">Bcc</label>
              <input
                id="composer-bcc"
                type="text"
                inputMode="email"
                value={bcc}
                onChange={(e) => setBcc(e.target.value)}
              />
            </>
          )}
        </div>
      )}
      <label htmlFor="composer-body" className="visually-hidden">
        {mode === 'note'
          ? 'Internal note, seen only by colleagues'
          : `Reply to ${customerName ?? 'the customer'}`}
      </label>
      <div className="composer-field">
        <textarea
          id="composer-body"
          ref={textarea}
          value={body}
          rows={5}
          placeholder={
            mode === 'note'
              ? 'A note for colleagues; the customer never sees it. Type @ to mention someone'
              : `Write to ${customerName ?? 'the customer'}…`
          }
          aria-autocomplete={mode === 'note' ? 'list' : undefined}
          aria-controls={open ? 'mention-options' : undefined}
          aria-activedescendant={activeId}
          aria-describedby={mode === 'note' ? 'mention-hint' : undefined}
          onChange={(e) => {
            setBody(e.target.value);
            track(e.target);
          }}
          onSelect={(e) => track(e.currentTarget)}
          onBlur={() => setMention(null)}
          onKeyDown={(e) => {
            if (open) {
              const next = movedActive(e.key, active, candidates.length);
              if (next !== null) {
                e.preventDefault();
                setActive(next);
                return;
              }
              const picked = candidates[active];
              if ((e.key === 'Enter' || e.key === 'Tab') && !e.ctrlKey && !e.metaKey && picked) {
                e.preventDefault();
                insert(picked);
                return;
              }
              if (e.key === 'Escape') {
                e.preventDefault();
                setMention(null);
                return;
              }
            }
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit(e);
            if (e.key === 'Escape') textarea.current?.blur();
          }}
        />
        {open && (
          <div
            id="mention-options"
            role="listbox"
            aria-label="Colleagues to mention"
            className="options mention-options"
          >
            {candidates.map((p, i) => (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the text field handles the keyboard
              <div
                key={p.id}
                tabIndex={-1}
                id={`mention-option-${p.id}`}
                role="option"
                aria-selected={i === active}
                className={`option${i === active ? ' active' : ''}`}
                onMouseDown={(e) => e.preventDefault()}
                onMouseMove={() => setActive(i)}
                onClick={() => insert(p)}
              >
                <span className="option-text">{p.name}</span>
                <span className="muted small">{p.email}</span>
              </div>
            ))}
          </div>
        )}
      </div>
      {mode === 'note' && (
        <p id="mention-hint" className="visually-hidden">
          Type @ and a name to mention a colleague; up and down arrows choose, Enter inserts, Escape closes
          the list.
        </p>
      )}
      <p className="visually-hidden" role="status">
        {open ? `${plural(candidates.length, 'colleague')} found` : ''}
      </p>
      <UploadChips uploads={uploads.uploads} onRemove={uploads.remove} />
      {dragging && (
        <p className="drop-hint" aria-hidden="true">
          Drop files to attach them
        </p>
      )}
      {send.isError && (
        <p className="form-error" role="alert">
          {messageOf(send.error)}
        </p>
      )}
      <div className="composer-actions">
        <div className="composer-tools">
          <input
            ref={fileInput}
            id="composer-files"
            type="file"
            multiple
            className="visually-hidden"
            tabIndex={-1}
            aria-hidden="true"
            onChange={(e) => {
              if (e.target.files) uploads.add(Array.from(e.target.files));
              e.target.value = '';
            }}
          />
          <button type="button" className="button small" onClick={() => fileInput.current?.click()}>
            Attach files
          </button>
          <MacroPicker
            conversationId={conversationId}
            onApplied={(text, conversation, macro) => {
              // The text goes where the caret is (or replaces an empty box); the agent edits it before sending.
              const el = textarea.current;
              const at = el && document.activeElement === el ? el.selectionStart : body.length;
              const next = body.trim() ? `${body.slice(0, at)}${text}${body.slice(at)}` : text;
              setBody(next);
              onMacroApplied?.(conversation, macro.name);
              requestAnimationFrame(() => el?.focus());
            }}
          />
          <span className="muted small composer-hint">
            {uploads.busy
              ? 'Uploading…'
              : failed
                ? 'Remove failed files to tidy up'
                : 'or drop them here · Ctrl+Enter sends'}
          </span>
        </div>
        <button
          type="submit"
          className="button primary"
          disabled={send.isPending || !body.trim() || uploads.busy}
          aria-keyshortcuts="Control+Enter"
        >
          {mode === 'note' ? 'Add note' : 'Send reply'}
        </button>
      </div>
    </form>
  );
}

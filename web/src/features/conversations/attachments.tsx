import { useCallback, useEffect, useRef, useState } from 'react';
import {
  type AttachmentRef,
  attachmentUrl,
  formatSize,
  isInlineImage,
  uploadAttachment,
  uploadMessage,
} from '../../api/attachments';

export type Upload = {
  key: string;
  name: string;
  size: number;
  progress: number;
  state: 'uploading' | 'done' | 'failed';
  attachment?: AttachmentRef;
  error?: string;
  abort: AbortController;
};

let nextKey = 0;

/** Files attached in the composer: each uploads at once, with progress; done ones are sent by id. */
export function useUploads(csrfToken: string | null) {
  const [uploads, setUploads] = useState<Upload[]>([]);
  const live = useRef(new Set<AbortController>());
  useEffect(() => {
    const running = live.current;
    return () => {
      for (const a of running) a.abort();
    };
  }, []);
  const update = useCallback(
    (key: string, patch: Partial<Upload>) =>
      setUploads((all) => all.map((u) => (u.key === key ? { ...u, ...patch } : u))),
    [],
  );
  const add = useCallback(
    (files: Iterable<File>) => {
      for (const file of files) {
        const key = `u${++nextKey}`;
        const abort = new AbortController();
        live.current.add(abort);
        setUploads((all) => [
          ...all,
          { key, name: file.name, size: file.size, progress: 0, state: 'uploading', abort },
        ]);
        uploadAttachment(file, {
          csrfToken,
          signal: abort.signal,
          onProgress: (progress) => update(key, { progress }),
        })
          .then((attachment) => update(key, { state: 'done', progress: 1, attachment }))
          .catch((err) => {
            if (!abort.signal.aborted) update(key, { state: 'failed', error: uploadMessage(err) });
          })
          .finally(() => live.current.delete(abort));
      }
    },
    [csrfToken, update],
  );
  const remove = useCallback((key: string) => {
    setUploads((all) => {
      all.find((u) => u.key === key)?.abort.abort();
      return all.filter((u) => u.key !== key);
    });
  }, []);
  const clear = useCallback(() => setUploads([]), []);
  return {
    uploads,
    add,
    remove,
    clear,
    busy: uploads.some((u) => u.state === 'uploading'),
    ids: uploads.flatMap((u) => (u.attachment ? [u.attachment.id] : [])),
  };
}

/** The chips under the composer: name, size, progress or error, and remove. */
export function UploadChips({ uploads, onRemove }: { uploads: Upload[]; onRemove(key: string): void }) {
  if (uploads.length === 0) return null;
  return (
    <ul className="chips" aria-label="Files to send">
      {uploads.map((u) => (
        <li key={u.key} className={`chip chip-${u.state}`}>
          <span className="chip-name">{u.name}</span>
          <span className="chip-size">{formatSize(u.size)}</span>
          {u.state === 'uploading' && (
            <progress max={1} value={u.progress} aria-label={`Uploading ${u.name}`}>
              {Math.round(u.progress * 100)}%
            </progress>
          )}
          {u.state === 'done' && <span className="visually-hidden">uploaded</span>}
          {u.state === 'failed' && (
            <span className="chip-error" role="alert">
              {u.name}: {u.error}
            </span>
          )}
          <button
            type="button"
            className="chip-remove"
            aria-label={`Remove ${u.name}`}
            title="Remove"
            onClick={() => onRemove(u.key)}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

/** A message's files in the timeline: download links, with a small preview of images the API shows inline. */
export function MessageAttachments({ items }: { items: AttachmentRef[] | undefined }) {
  if (!items || items.length === 0) return null;
  return (
    <ul className="msg-files" aria-label="Attachments">
      {items.map((a) => (
        <li key={a.id}>
          <a href={attachmentUrl(a.id)} download={a.filename} className="msg-file">
            {isInlineImage(a.contentType) ? (
              <img
                src={attachmentUrl(a.id)}
                alt=""
                className="msg-thumb"
                loading="lazy"
                width={48}
                height={48}
              />
            ) : (
              <span className="msg-file-icon" aria-hidden="true">
                {(a.filename.split('.').pop() ?? 'file').slice(0, 4).toUpperCase()}
              </span>
            )}
            <span className="msg-file-name">{a.filename}</span>
            <span className="msg-file-size">{formatSize(a.size)}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

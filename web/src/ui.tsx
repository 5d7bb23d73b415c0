import { type RefObject, useEffect, useRef } from 'react';
import { messageOf } from './api/client';

/** A `<dialog>` shown as a modal as soon as it mounts (focus moves in, Escape closes it). */
export function useModal(): RefObject<HTMLDialogElement | null> {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    dialog.current?.showModal();
  }, []);
  return dialog;
}

/** What a failed request says to people, announced as an alert; nothing when there is no error. */
export function FailureNote({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="form-error" role="alert">
      {messageOf(error)}
    </p>
  );
}

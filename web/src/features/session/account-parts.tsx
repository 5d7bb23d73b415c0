import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent, ReactNode } from 'react';
import { useNavigate } from 'react-router';
import { api, setCsrfToken } from '../../api/client';
import type { Instance, Session } from '../../api/types';

/** What the pages a person reaches without being signed in share: notices, the instance, the card and fields. */
export const LAST_WORKSPACE = 'steward.workspace';
const NOTICE = 'steward.signin-notice';

/** A sentence the sign-in page shows once (after a password was set or changed). */
export function leaveSignInNotice(text: string) {
  sessionStorage.setItem(NOTICE, text);
}
export function takeSignInNotice(): string | null {
  const text = sessionStorage.getItem(NOTICE);
  sessionStorage.removeItem(NOTICE);
  return text;
}

export function useInstance() {
  return useQuery({
    queryKey: ['instance'],
    queryFn: () => api<Instance>('GET', '/instance'),
    staleTime: 60_000,
  });
}

export function useSignedIn() {
  const client = useQueryClient();
  const navigate = useNavigate();
  return (session: Session) => {
    localStorage.setItem(LAST_WORKSPACE, session.workspace.slug);
    setCsrfToken(session.csrfToken);
    client.setQueryData(['instance'], (i: Instance | undefined) => i && { ...i, setupNeeded: false });
    client.setQueryData(['session'], session);
    navigate('/', { replace: true });
  };
}

export function tokenFromHash(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token') ?? '';
}

export function Card({
  title,
  children,
  onSubmit,
}: {
  title: string;
  children: ReactNode;
  onSubmit?: (e: FormEvent) => void;
}) {
  const id = `card-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  const body = (
    <>
      <div className="brand brand-large" aria-hidden="true">
        <span className="brand-mark" /> Steward
      </div>
      <h1 id={id}>{title}</h1>
      {children}
    </>
  );
  return (
    <main className="signin" id="main">
      {onSubmit ? (
        <form className="signin-card" onSubmit={onSubmit} aria-labelledby={id}>
          {body}
        </form>
      ) : (
        <div className="signin-card">{body}</div>
      )}
    </main>
  );
}

export function Field(props: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  type?: string;
  autoComplete?: string;
  hint?: string;
  autoFocus?: boolean;
  minLength?: number;
}) {
  return (
    <>
      <label htmlFor={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        autoComplete={props.autoComplete}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
        required
        minLength={props.minLength}
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
        // biome-ignore lint/a11y/noAutofocus: the first field of a page that is only this form
        autoFocus={props.autoFocus}
      />
      {props.hint && (
        <p id={`${props.id}-hint`} className="field-hint">
          {props.hint}
        </p>
      )}
    </>
  );
}

/** A new password typed twice; `mismatch` says whether the two differ. */
export function NewPassword({
  value,
  repeat,
  onChange,
  onRepeat,
  label = 'New password',
}: {
  value: string;
  repeat: string;
  onChange: (v: string) => void;
  onRepeat: (v: string) => void;
  label?: string;
}) {
  return (
    <>
      <Field
        id="new-password"
        label={label}
        type="password"
        autoComplete="new-password"
        value={value}
        onChange={onChange}
        minLength={10}
        hint="At least 10 characters. A few unrelated words make a good one."
      />
      <Field
        id="repeat-password"
        label="The same password again"
        type="password"
        autoComplete="new-password"
        value={repeat}
        onChange={onRepeat}
      />
    </>
  );
}

export function ErrorLine({ error }: { error: string | null }) {
  return error ? (
    <p className="form-error" role="alert">
      {error}
    </p>
  ) : null;
}

export function slugOf(name: string): string {
  const slug = name
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return slug.length >= 2 ? slug : '';
}

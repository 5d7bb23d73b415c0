import { Fragment, type ReactNode, useMemo } from 'react';
import type { Person } from '../../api/types';

/** The `@query` being typed right before the caret: a word, or two for "first last". */
const typing = /(?:^|\s)@([^\s@]{0,40}(?: [^\s@]{0,40})?)$/u;

export type MentionQuery = { start: number; end: number; query: string };

export function mentionAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const m = typing.exec(before);
  if (!m) return null;
  const query = m[1] ?? '';
  return { start: caret - query.length - 1, end: caret, query };
}

/** Colleagues whose name (or e-mail) has what was typed; the first word alone is tried too. */
export function mentionCandidates(people: Person[], query: string, meId: number): Person[] {
  const pick = (q: string) =>
    people.filter(
      (p) =>
        p.status === 'active' &&
        p.id !== meId &&
        (p.name.toLowerCase().includes(q) || p.email.toLowerCase().startsWith(q)),
    );
  const q = query.toLowerCase();
  return pick(q).slice(0, 8);
}

/** The mentioned people still named in the text (`@Name`) when it is sent. */
export function mentionIdsIn(text: string, chosen: Person[]): number[] {
  return [...new Set(chosen.filter((p) => text.includes(`@${p.name}`)).map((p) => p.id))];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A note's text with `@Name` of colleagues highlighted. */
export function NoteText({ text, people }: { text: string; people: Person[] }): ReactNode {
  const pattern = useMemo(() => {
    const names = people
      .map((p) => p.name)
      .filter(Boolean)
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp);
    return names.length ? new RegExp(`@(?:${names.join('|')})`, 'g') : null;
  }, [people]);
  if (!pattern || !text.includes('@')) return text;
  const parts: ReactNode[] = [];
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    const at = m.index ?? 0;
    if (at > last) parts.push(text.slice(last, at));
    parts.push(
      <span key={at} className="mention">
        {m[0]}
      </span>,
    );
    last = at + m[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  return parts.map((p, i) => <Fragment key={typeof p === 'string' ? `t${i}` : `m${i}`}>{p}</Fragment>);
}

import { useEffect, useRef } from 'react';

/** Typing in a field is never a shortcut. */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Single-key shortcuts of a page (`j`, `k`, `Enter`, `r`, …), active while it is mounted. Keys with Ctrl,
 * Alt or Meta, and keys typed into fields, are left alone.
 */
export function useShortcuts(map: Record<string, (e: KeyboardEvent) => void>): void {
  const ref = useRef(map);
  ref.current = map;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.altKey || e.metaKey || e.defaultPrevented || typing(e.target)) return;
      const handler = ref.current[e.key];
      if (!handler) return;
      handler(e);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}

export const SHORTCUTS: Array<[string, string]> = [
  ['j / k', 'next / previous conversation in the inbox'],
  ['Enter', 'open the selected conversation'],
  ['r', 'reply to the customer'],
  ['n', 'write an internal note'],
  ['m', 'apply a macro (canned reply)'],
  ['a', 'choose the assignee of the conversation'],
  ['e', 'solve the conversation'],
  ['/', 'search'],
  ['Shift+N', 'open or close your notifications'],
  ['?', 'show these shortcuts'],
  ['Esc', 'close this list, or leave the composer'],
];

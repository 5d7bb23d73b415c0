import { useEffect } from 'react';

/**
 * The keyboard of a combobox's list (ARIA combobox pattern, focus stays in the field): arrows move the active
 * option, wrapping; Home / End jump. Returns the new active index, or null when the key is not a move.
 */
export function movedActive(key: string, active: number, count: number): number | null {
  if (count === 0) return null;
  if (key === 'ArrowDown') return (active + 1) % count;
  if (key === 'ArrowUp') return (active - 1 + count) % count;
  if (key === 'PageDown') return Math.min(count - 1, active + 8);
  if (key === 'PageUp') return Math.max(0, active - 8);
  return null;
}

/** Keeps the active option in sight when it moves past the list's edge. */
export function useActiveInView(id: string | undefined): void {
  useEffect(() => {
    if (id) document.getElementById(id)?.scrollIntoView({ block: 'nearest' });
  }, [id]);
}

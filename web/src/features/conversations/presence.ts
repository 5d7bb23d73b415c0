import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api } from '../../api/client';

export type PresenceState = 'viewing' | 'typing';
/** Colleagues with a conversation open: person id → what they do and when we last heard (ms, this clock). */
export type Presence = Record<number, { state: PresenceState; at: number }>;

const REPORT_EVERY_MS = 20_000;
/** PRODUCT.md: handle time counts while the conversation is focused, with activity in the last 2 minutes. */
const ACTIVE_WINDOW_MS = 120_000;
/** "Typing" lasts this long after the last key in the composer. */
const TYPING_WINDOW_MS = 8_000;
/** The server forgets a viewer not heard from for 45 s; so does the page. */
export const PRESENCE_TTL_MS = 45_000;

export const presenceKey = (conversationId: number) => ['presence', conversationId];
export const handleTimeKey = (conversationId: number) => ['handle-time', conversationId];

type Report = {
  handleTime: { mineSeconds: number; totalSeconds: number };
  viewers: Array<{ personId: number; state: PresenceState }>;
};

/** A `conversation.presence` push: kept in the query cache, no re-fetch. */
export function applyPresence(
  client: QueryClient,
  data: { conversationId?: unknown; personId?: unknown; state?: unknown },
): void {
  const { conversationId, personId, state } = data;
  if (typeof conversationId !== 'number' || typeof personId !== 'number') return;
  client.setQueryData<Presence>(presenceKey(conversationId), (old) => {
    const next = { ...(old ?? {}) };
    if (state === 'viewing' || state === 'typing') next[personId] = { state, at: Date.now() };
    else delete next[personId];
    return next;
  });
}

/** The colleagues (not me) who have the conversation open, fresh ones only. */
export function usePresence(conversationId: number, me: number) {
  // Filled by pushes and by the answers to our reports (setQueryData), never fetched.
  const presence = useQuery<Presence>({
    queryKey: presenceKey(conversationId),
    queryFn: () => ({}),
    enabled: false,
  });
  // Re-render now and then, so a viewer who went silent drops out.
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = window.setInterval(() => tick((n) => n + 1), 5_000);
    return () => window.clearInterval(timer);
  }, []);
  const now = Date.now();
  return Object.entries(presence.data ?? {})
    .filter(([id, p]) => Number(id) !== me && now - p.at < PRESENCE_TTL_MS)
    .map(([id, p]) => ({ personId: Number(id), state: p.state }));
}

/**
 * Reports this agent's activity on an open conversation (POST /conversations/:id/activity): every 20 s, and
 * at once when they start or stop typing or become idle; "left" when the page closes or moves on. The
 * answer refreshes who else is there and the handle time.
 */
export function useActivityReports(conversationId: number, enabled: boolean): void {
  const client = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    let lastInput = Date.now();
    let lastTyped = 0;
    let sent: { state: string; active: boolean; at: number } | null = null;
    const path = `/conversations/${conversationId}/activity`;
    const current = () => {
      const now = Date.now();
      const active =
        document.visibilityState === 'visible' && document.hasFocus() && now - lastInput < ACTIVE_WINDOW_MS;
      return { state: now - lastTyped < TYPING_WINDOW_MS ? 'typing' : 'viewing', active };
    };
    const report = (force = false) => {
      const next = current();
      const due = !sent || Date.now() - sent.at >= REPORT_EVERY_MS;
      if (!force && !due && sent?.state === next.state && sent.active === next.active) return;
      sent = { ...next, at: Date.now() };
      api<Report>('POST', path, next)
        .then((r) => {
          client.setQueryData<Presence>(presenceKey(conversationId), () =>
            Object.fromEntries(r.viewers.map((v) => [v.personId, { state: v.state, at: Date.now() }])),
          );
          void client.invalidateQueries({ queryKey: handleTimeKey(conversationId) });
        })
        .catch(() => {});
    };
    const onInput = () => {
      lastInput = Date.now();
    };
    const onKey = (e: KeyboardEvent) => {
      lastInput = Date.now();
      if (e.target instanceof HTMLElement && e.target.id === 'composer-body') {
        const wasTyping = Date.now() - lastTyped < TYPING_WINDOW_MS;
        lastTyped = Date.now();
        if (!wasTyping) report();
      }
    };
    const onFocusChange = () => report();
    const leave = () =>
      void api('POST', path, { state: 'left', active: false }, { keepalive: true }).catch(() => {});
    const events = ['pointermove', 'pointerdown', 'wheel', 'scroll'] as const;
    for (const e of events) window.addEventListener(e, onInput, { passive: true });
    window.addEventListener('keydown', onKey);
    window.addEventListener('focus', onFocusChange);
    window.addEventListener('blur', onFocusChange);
    document.addEventListener('visibilitychange', onFocusChange);
    window.addEventListener('pagehide', leave);
    report(true);
    const timer = window.setInterval(() => report(), 2_000);
    return () => {
      window.clearInterval(timer);
      for (const e of events) window.removeEventListener(e, onInput);
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('focus', onFocusChange);
      window.removeEventListener('blur', onFocusChange);
      document.removeEventListener('visibilitychange', onFocusChange);
      window.removeEventListener('pagehide', leave);
      leave();
    };
  }, [conversationId, enabled, client]);
}

/** A duration for people: "45 s", "12 min", "1 h 05 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** The customer types in the live chat (`chat.visitor_typing` pushes): shown under the timeline. */
export const customerTypingKey = (conversationId: number) => ['customer-typing', conversationId];
/** The widget repeats "typing" every few seconds while it goes on; silence this long means it stopped. */
const CUSTOMER_TYPING_TTL_MS = 8_000;

export function applyCustomerTyping(
  client: QueryClient,
  data: { conversationId?: unknown; typing?: unknown },
): void {
  if (typeof data.conversationId !== 'number') return;
  client.setQueryData<number>(customerTypingKey(data.conversationId), data.typing === true ? Date.now() : 0);
}

export function useCustomerTyping(conversationId: number): boolean {
  const since = useQuery<number>({
    queryKey: customerTypingKey(conversationId),
    queryFn: () => 0,
    enabled: false,
  });
  const [, tick] = useState(0);
  const at = since.data ?? 0;
  useEffect(() => {
    if (!at) return;
    const timer = window.setTimeout(() => tick((n) => n + 1), CUSTOMER_TYPING_TTL_MS + 100);
    return () => window.clearTimeout(timer);
  }, [at]);
  return at > 0 && Date.now() - at < CUSTOMER_TYPING_TTL_MS;
}

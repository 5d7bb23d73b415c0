import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { listKey, unreadKey } from './api/notifications';
import { coalescer, type Invalidate } from './coalesce';
import { applyCustomerTyping, applyPresence } from './features/conversations/presence';

export type LiveState = 'connecting' | 'live' | 'offline';

type Frame = {
  type: string;
  data?: {
    conversationId?: number;
    unreadCount?: number;
    personId?: number;
    state?: string;
    typing?: boolean;
  };
};

/** What a push makes stale: lists always, and the one conversation it names; notifications their own. */
function apply(client: QueryClient, frame: Frame, invalidate: Invalidate): void {
  if (frame.type === 'ready' || frame.type === 'resync') {
    void client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' });
    return;
  }
  // Personal pushes: the bell's count comes with them; the list re-fetches if it is shown.
  if (frame.type === 'notification.created' || frame.type === 'notification.read') {
    if (typeof frame.data?.unreadCount === 'number') client.setQueryData(unreadKey, frame.data.unreadCount);
    else void client.invalidateQueries({ queryKey: unreadKey });
    void client.invalidateQueries({ queryKey: listKey });
    return;
  }
  // Presence changes nothing stored: it goes into the cache as it is, with no re-fetch.
  if (frame.type === 'conversation.presence') {
    applyPresence(client, frame.data ?? {});
    return;
  }
  // The customer types in the live chat: shown under the conversation, nothing to re-fetch.
  if (frame.type === 'chat.visitor_typing') {
    applyCustomerTyping(client, frame.data ?? {});
    return;
  }
  // A colleague's status: names and lists of people show it, and so does a team's routing page.
  if (frame.type === 'person.availability_changed') {
    void client.invalidateQueries({ queryKey: ['people'] });
    void client.invalidateQueries({ queryKey: ['team-routing'] });
    void client.invalidateQueries({ queryKey: ['availability'] });
    return;
  }
  invalidate(['conversations']);
  invalidate(['customer-conversations']);
  const id = frame.data?.conversationId;
  if (typeof id === 'number') invalidate(['conversation', id]);
  // Many at once (background work): every conversation shown may have changed.
  else if (frame.type === 'conversations.changed') invalidate(['conversation']);
}

/**
 * The realtime stream (/api/v1/stream): each push invalidates the queries it touches, so what is on screen
 * re-fetches by itself; the socket reconnects with backoff, and `ready` after a reconnect refreshes everything.
 */
export function useRealtime(): LiveState {
  const client = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    let socket: WebSocket | undefined;
    let stopped = false;
    let delay = 1000;
    let timer: number | undefined;
    const invalidate = coalescer((queryKey) => void client.invalidateQueries({ queryKey }));
    const connect = () => {
      const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/v1/stream`;
      socket = new WebSocket(url);
      socket.onmessage = (event) => {
        try {
          const frame = JSON.parse(String(event.data)) as Frame;
          if (frame.type === 'ready') {
            delay = 1000;
            setState('live');
          }
          apply(client, frame, invalidate);
        } catch {}
      };
      socket.onclose = (event) => {
        if (stopped) return;
        // 4401: the session ended (signed out elsewhere, password changed, deactivated): ask who we are now,
        // which shows the sign-in page; the stream reconnects only once signed in again.
        if (event.code === 4401) {
          setState('offline');
          void client.invalidateQueries({ queryKey: ['session'] });
          return;
        }
        setState('offline');
        timer = window.setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30_000);
      };
    };
    connect();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      socket?.close();
    };
  }, [client]);
  return state;
}

import type { WebSocket } from 'ws';
import { type Deps, publishRealtime, type RealtimeHub, type RealtimeMessage } from '../../platform/index.js';
import { type ChatVisitor, type ChatWidget, followMerges, visitorLines } from './chat.repo.js';
import { Bucket, parseFrame, wireAvailability, wireMessage } from './protocol.js';
import { identifyVisitor, openVisitor, receiveMessage, widgetAvailability } from './visitors.service.js';

/** Messages a visitor may send: 20 at once, then 2 a second. Other frames: 60 at once, then 10 a second. */
const MESSAGE_BURST = 20;
const MESSAGES_PER_SECOND = 2;
const FRAME_BURST = 60;
const FRAMES_PER_SECOND = 10;
/** A client that keeps sending what it may not is closed (1008, policy violation). */
const MAX_STRIKES = 20;
const HEARTBEAT_MS = 30_000;
const PAGE = 500;
/** Identification may merge customers: a few times per connection is plenty for a person. */
const MAX_IDENTIFY = 5;
/** The visitor's typing goes to the agents at most this often while it goes on. */
const TYPING_EVERY_MS = 3_000;

type Connection = {
  socket: WebSocket;
  widget: ChatWidget;
  visitor?: ChatVisitor;
  /** The highest message id this socket was sent (as `messages`): deliveries continue after it. */
  lastSentId: number;
  keys: Set<string>;
  /** Frames are handled one after another: messages are stored and acknowledged in the order sent. */
  queue: Promise<void>;
  flushing?: Promise<void>;
  flushAgain: boolean;
  messages: Bucket;
  frames: Bucket;
  strikes: number;
  identifies: number;
  alive: boolean;
  typingSentAt: number;
  typing: boolean;
};

const keyOf = (workspaceId: number, conversationId: number) => `${workspaceId}:${conversationId}`;

/**
 * The visitor sockets of this process. Agent replies and typing reach them through the realtime hub's tap
 * (PostgreSQL LISTEN/NOTIFY: a reply committed by any process arrives here at once); each socket is then sent
 * what was committed after the last message it was sent, read from the database, so a missed or reordered
 * notification can delay a message but never lose it.
 */
export type ChatRelay = {
  attach(socket: WebSocket, widget: ChatWidget): void;
  size(): number;
  close(): void;
};

export function createChatRelay(deps: Deps, hub: RealtimeHub): ChatRelay {
  const byConversation = new Map<string, Set<Connection>>();
  /** One message of a visitor at a time in this process (two tabs writing their first message at once). */
  const visitorTurns = new Map<number, Promise<unknown>>();
  const all = new Set<Connection>();
  let tapping: Promise<() => void> | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  const startTap = () => {
    tapping ??= hub.tap(onRealtime, () => {
      for (const c of all) void flush(c);
    });
    tapping.catch(() => {
      tapping = undefined; // the next connection tries again
    });
    return tapping;
  };

  const send = (c: Connection, frame: Record<string, unknown>) => {
    if (c.socket.readyState !== c.socket.OPEN) return;
    c.socket.send(JSON.stringify(frame));
  };
  const error = (c: Connection, code: string, message: string, extra: Record<string, unknown> = {}) =>
    send(c, { type: 'error', code, message, ...extra });

  const flushNow = async (c: Connection) => {
    const v = c.visitor;
    if (!v) return;
    // In pages of 500: a long history goes out in several frames, oldest first.
    for (;;) {
      const lines = await visitorLines(deps.db, v.workspaceId, v.conversationIds, c.lastSentId, PAGE);
      if (lines.length === 0) return;
      c.lastSentId = lines.at(-1)!.id;
      send(c, { type: 'messages', messages: lines.map((l) => wireMessage(l, v.publicId)) });
      if (lines.length < PAGE) return;
    }
  };
  /** Sends what is new; a flush asked for while one runs runs once more after it (nothing slips between). */
  const flush = (c: Connection): Promise<void> => {
    if (c.flushing) {
      c.flushAgain = true;
      return c.flushing;
    }
    c.flushing = (async () => {
      try {
        do {
          c.flushAgain = false;
          await flushNow(c);
        } while (c.flushAgain);
      } catch (err) {
        deps.log.error({ err }, 'chat: delivery to a visitor failed');
      } finally {
        c.flushing = undefined;
      }
    })();
    return c.flushing;
  };

  /** An agent came online or left: the visitors of that workspace are told whether a reply can come now. */
  const availabilityChanged = async (workspaceId: number) => {
    const widgets = new Map<number, Connection[]>();
    for (const c of all)
      if (c.visitor && c.widget.workspaceId === workspaceId)
        widgets.set(c.widget.id, [...(widgets.get(c.widget.id) ?? []), c]);
    for (const list of widgets.values()) {
      const availability = wireAvailability(await widgetAvailability(deps, list[0]!.widget));
      for (const c of list) send(c, { type: 'availability', availability });
    }
  };

  const onRealtime = (m: RealtimeMessage) => {
    if (m.type === 'person.availability_changed') {
      availabilityChanged(m.workspaceId).catch((err) => deps.log.error({ err }, 'chat: availability failed'));
      return;
    }
    const conversationId = m.data.conversationId;
    if (typeof conversationId !== 'number') return;
    const set = byConversation.get(keyOf(m.workspaceId, conversationId));
    if (!set) return;
    if (m.type === 'message.created' && m.data.direction !== 'note') for (const c of set) void flush(c);
    else if (m.type === 'conversation.updated' && m.data.mergedIntoId) for (const c of set) void follow(c);
    else if (m.type === 'conversation.presence')
      for (const c of set) send(c, { type: 'typing', typing: m.data.state === 'typing' });
  };

  /** A followed conversation was merged into another: the visitor follows that one now. */
  const follow = async (c: Connection) => {
    if (!c.visitor) return;
    try {
      c.visitor = await followMerges(deps.db, c.visitor);
      subscribe(c);
      await flush(c);
    } catch (err) {
      deps.log.error({ err }, 'chat: following a merged conversation failed');
    }
  };

  const subscribe = (c: Connection) => {
    const v = c.visitor;
    if (!v) return;
    for (const id of v.conversationIds) {
      const key = keyOf(v.workspaceId, id);
      if (c.keys.has(key)) continue;
      c.keys.add(key);
      let set = byConversation.get(key);
      if (!set) {
        set = new Set();
        byConversation.set(key, set);
      }
      set.add(c);
    }
  };
  const unsubscribe = (c: Connection) => {
    for (const key of c.keys) {
      const set = byConversation.get(key);
      set?.delete(c);
      if (set?.size === 0) byConversation.delete(key);
    }
    c.keys.clear();
  };

  const hello = async (c: Connection, frame: { visitorId?: string; token?: string; lastSeenId?: number }) => {
    if (c.visitor) return error(c, 'ALREADY_GREETED', 'hello is said once per connection');
    // Listening before reading the history: a reply committed in between is then announced, not missed.
    await startTap();
    const opened = await openVisitor(deps, c.widget, frame);
    const { token } = opened;
    const visitor = await followMerges(deps.db, opened.visitor);
    c.visitor = visitor;
    // A new visitor has seen nothing; a returning one continues after what it has.
    c.lastSentId = token ? 0 : (frame.lastSeenId ?? 0);
    const availability = await widgetAvailability(deps, c.widget);
    send(c, {
      type: 'welcome',
      visitorId: visitor.publicId,
      ...(token ? { token } : {}),
      visitor: { name: visitor.name, email: visitor.email },
      widget: { name: c.widget.name, greeting: c.widget.greeting, color: c.widget.color },
      availability: wireAvailability(availability),
    });
    subscribe(c);
    await flush(c);
    // After the history: a client that waits for this knows it has everything up to now.
    send(c, { type: 'synced', lastId: c.lastSentId });
  };

  const message = async (c: Connection, visitor: ChatVisitor, clientId: string, text: string) => {
    if (!c.messages.take())
      return error(c, 'RATE_LIMITED', 'Too many messages: wait a moment and send it again', { clientId });
    const previous = visitorTurns.get(visitor.id) ?? Promise.resolve();
    const turn = previous.catch(() => {}).then(() => receiveMessage(deps, c.widget, visitor, clientId, text));
    visitorTurns.set(visitor.id, turn);
    const received = await turn.finally(() => {
      if (visitorTurns.get(visitor.id) === turn) visitorTurns.delete(visitor.id);
    });
    if (!received.ok) return error(c, received.code, received.message, { clientId });
    c.visitor = received.value.visitor;
    // Other sockets of the same visitor (another tab) follow the visitor's conversations too.
    for (const other of all)
      if (other !== c && other.visitor?.id === c.visitor.id) {
        other.visitor = c.visitor;
        subscribe(other);
      }
    const followed = c.keys.size;
    subscribe(c);
    const line = received.value.line;
    send(c, { type: 'ack', clientId, id: line.id, at: line.createdAt.toISOString() });
    if (c.typing) await typing(c, c.visitor, false);
    // The message's own notification brings it (and anything before it) to this socket; but a conversation
    // just started was not followed yet when that notification came: send what it holds now.
    if (c.keys.size !== followed) await flush(c);
  };

  const typing = async (c: Connection, visitor: ChatVisitor, on: boolean) => {
    const conversationId = visitor.conversationIds.at(-1);
    const now = Date.now();
    if (conversationId === undefined) return;
    if (on === c.typing && (!on || now - c.typingSentAt < TYPING_EVERY_MS)) return;
    c.typing = on;
    c.typingSentAt = now;
    await publishRealtime(deps.db, {
      workspaceId: visitor.workspaceId,
      type: 'chat.visitor_typing',
      data: { conversationId, typing: on },
    });
  };

  const handle = async (c: Connection, raw: string) => {
    const parsed = parseFrame(raw);
    if (!parsed.ok) return strike(c, 'BAD_FRAME', parsed.message);
    const frame = parsed.frame;
    if (frame.type === 'hello') return hello(c, frame);
    const visitor = c.visitor;
    if (!visitor) return strike(c, 'HELLO_FIRST', 'Say hello first');
    switch (frame.type) {
      case 'message':
        return message(c, visitor, frame.clientId, frame.text);
      case 'typing':
        return typing(c, visitor, frame.typing);
      case 'identify': {
        if (++c.identifies > MAX_IDENTIFY)
          return error(c, 'RATE_LIMITED', 'Your details were saved already; reload the page to change them');
        const done = await identifyVisitor(deps, visitor, frame);
        if (!done.ok) return error(c, done.code, done.message);
        c.visitor = done.value;
        return send(c, { type: 'identified', name: done.value.name, email: done.value.email });
      }
      case 'ping':
        return send(c, { type: 'pong' });
    }
  };

  const strike = (c: Connection, code: string, message: string) => {
    error(c, code, message);
    if (++c.strikes >= MAX_STRIKES) c.socket.close(1008, 'too many bad frames');
  };

  const startHeartbeat = () => {
    if (heartbeat) return;
    heartbeat = setInterval(() => {
      for (const c of all) {
        if (!c.alive) {
          c.socket.terminate();
          continue;
        }
        c.alive = false;
        c.socket.ping();
      }
    }, HEARTBEAT_MS);
    heartbeat.unref();
  };

  return {
    attach(socket, widget) {
      const c: Connection = {
        socket,
        widget,
        lastSentId: 0,
        keys: new Set(),
        queue: Promise.resolve(),
        flushAgain: false,
        messages: new Bucket(MESSAGE_BURST, MESSAGES_PER_SECOND),
        frames: new Bucket(FRAME_BURST, FRAMES_PER_SECOND),
        strikes: 0,
        identifies: 0,
        alive: true,
        typingSentAt: 0,
        typing: false,
      };
      all.add(c);
      startHeartbeat();
      socket.on('pong', () => {
        c.alive = true;
      });
      socket.on('close', () => {
        all.delete(c);
        unsubscribe(c);
        if (c.typing && c.visitor) void typing(c, c.visitor, false).catch(() => {});
      });
      socket.on('message', (data, isBinary) => {
        c.alive = true;
        if (isBinary) return strike(c, 'BAD_FRAME', 'Frames are JSON text');
        if (!c.frames.take()) return strike(c, 'RATE_LIMITED', 'Too many frames: slow down');
        const raw = String(data);
        c.queue = c.queue
          .then(() => handle(c, raw))
          .catch((err) => {
            deps.log.error({ err }, 'chat: a visitor frame failed');
            error(c, 'INTERNAL', 'Something went wrong; send it again');
          });
      });
      startTap().catch((err) => {
        deps.log.error({ err }, 'chat: cannot listen to the database');
        socket.close(1011, 'chat unavailable');
      });
    },
    size: () => all.size,
    close() {
      clearInterval(heartbeat);
      for (const c of all) c.socket.close(1001, 'shutting down');
      all.clear();
      byConversation.clear();
      void tapping?.then((stop) => stop()).catch(() => {});
    },
  };
}

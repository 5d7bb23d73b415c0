import pg from 'pg';
import type { Logger } from 'pino';
import type { WebSocket } from 'ws';
import type { Database } from '../db/index.js';
import { AUTH_REVOKED, decodeRealtime, REALTIME_CHANNEL, type RealtimeMessage } from './realtime.js';

/**
 * The per-process realtime hub. It listens on the database's `steward_realtime` channel (PostgreSQL: one
 * dedicated connection outside the pool, reconnected when it drops; PGlite: `pglite.listen`) and relays each
 * message to the WebSockets of its workspace, or only to the people it names. Because every process sharing a
 * database listens, a change committed through any process reaches the sockets of all of them.
 *
 * The hub starts listening with its first socket (a process nobody watches holds no extra connection) and
 * says `{"type":"ready"}` to each socket once its messages are flowing; after a lost database connection it
 * says `{"type":"resync"}`: what happened meanwhile was not relayed, so clients re-fetch what they show.
 */
export type RealtimeHub = {
  /** Adds a socket of a signed-in person; resolves once the hub listens (and the socket was told `ready`). */
  attach(socket: WebSocket, who: Who): Promise<void>;
  /**
   * Calls `listener` with every message on the channel (of every workspace) and `onResync` after a lost
   * database connection, for sockets that are not agents' (the live-chat visitors). Resolves once listening;
   * the function it resolves to stops the tap.
   */
  tap(listener: (message: RealtimeMessage) => void, onResync?: () => void): Promise<() => void>;
  /** Number of open sockets (metrics, tests). */
  size(): number;
  /** Closes every socket (1001, going away) and stops listening. */
  close(): Promise<void>;
};

/** Whose socket it is, and the credential that opened it (ending that credential closes the socket). */
export type Who = { workspaceId: number; personId: number; sessionId?: number; tokenId?: number };
type Subscriber = {
  socket: WebSocket;
  personId: number;
  sessionId?: number;
  tokenId?: number;
  alive: boolean;
};

/** The close code a socket gets when its session or token ended: the client signs in again. */
export const CLOSE_SIGNED_OUT = 4401;

const HEARTBEAT_MS = 30_000;
/** A client that reads this far behind is dropped rather than buffered without end. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const RECONNECT_MIN_MS = 500;
const RECONNECT_MAX_MS = 15_000;

type Listener = { stop(): Promise<void> };

async function listenPglite(database: Database, onPayload: (text: string) => void): Promise<Listener> {
  const pglite = database.pglite;
  if (!pglite) throw new Error('PGlite database without its instance');
  const unlisten = await pglite.listen(REALTIME_CHANNEL, onPayload);
  return {
    stop: async () => {
      if (!pglite.closed) await unlisten().catch(() => {});
    },
  };
}

/** LISTEN on a connection of its own (a pooled one would be handed to other queries), reconnecting. */
function listenPostgres(
  database: Database,
  log: Logger,
  onPayload: (text: string) => void,
  onReconnected: () => void,
): Promise<Listener> {
  const options = database.pool?.options;
  if (!options) throw new Error('PostgreSQL database without its pool');
  let client: pg.Client | undefined;
  let stopped = false;
  let delay = RECONNECT_MIN_MS;
  let timer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ ...options, application_name: 'steward-realtime' } as pg.ClientConfig);
    c.on('notification', (n) => {
      if (n.channel === REALTIME_CHANNEL && n.payload) onPayload(n.payload);
    });
    c.on('error', (err) => log.warn({ err }, 'realtime connection failed; reconnecting'));
    c.on('end', () => {
      if (client !== c || stopped) return;
      client = undefined;
      schedule();
    });
    await c.connect();
    await c.query(`LISTEN ${REALTIME_CHANNEL}`);
    client = c;
    delay = RECONNECT_MIN_MS;
  };
  const schedule = () => {
    timer = setTimeout(async () => {
      if (stopped) return;
      try {
        await connect();
        log.info('realtime connection restored');
        onReconnected();
      } catch (err) {
        log.warn({ err }, 'realtime reconnect failed');
        delay = Math.min(delay * 2, RECONNECT_MAX_MS);
        schedule();
      }
    }, delay);
    timer.unref();
  };
  return connect().then(() => ({
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  }));
}

export function createRealtimeHub(database: Database, log: Logger): RealtimeHub {
  const byWorkspace = new Map<number, Set<Subscriber>>();
  const taps = new Set<{ listener: (message: RealtimeMessage) => void; onResync?: () => void }>();
  let listening: Promise<Listener> | undefined;
  let closed = false;
  let heartbeat: NodeJS.Timeout | undefined;

  const send = (s: Subscriber, text: string) => {
    if (s.socket.readyState !== s.socket.OPEN) return;
    if (s.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      s.socket.terminate();
      return;
    }
    s.socket.send(text);
  };
  const everyone = (text: string) => {
    for (const set of byWorkspace.values()) for (const s of set) send(s, text);
  };

  const deliver = (payload: string) => {
    const message: RealtimeMessage | null = decodeRealtime(payload);
    if (!message) {
      log.warn({ payload: payload.slice(0, 200) }, 'realtime: undecodable message dropped');
      return;
    }
    for (const t of taps) {
      try {
        t.listener(message);
      } catch (err) {
        log.error({ err }, 'realtime: a tap failed');
      }
    }
    const subscribers = byWorkspace.get(message.workspaceId);
    if (!subscribers) return;
    if (message.type === AUTH_REVOKED) {
      const ids = (v: unknown) => new Set(Array.isArray(v) ? v : []);
      const sessions = ids(message.data.sessionIds);
      const tokens = ids(message.data.tokenIds);
      for (const s of subscribers)
        if (
          (s.sessionId !== undefined && sessions.has(s.sessionId)) ||
          (s.tokenId !== undefined && tokens.has(s.tokenId))
        )
          s.socket.close(CLOSE_SIGNED_OUT, 'signed out');
      return;
    }
    const only = message.personIds ? new Set(message.personIds) : undefined;
    const text = JSON.stringify({ type: message.type, data: message.data });
    for (const s of subscribers) if (!only || only.has(s.personId)) send(s, text);
  };

  const startListening = (): Promise<Listener> => {
    listening ??= (
      database.kind === 'pglite'
        ? listenPglite(database, deliver)
        : listenPostgres(database, log, deliver, () => {
            everyone(JSON.stringify({ type: 'resync' }));
            for (const t of taps) t.onResync?.();
          })
    ).catch((err) => {
      listening = undefined; // the next socket tries again
      throw err;
    });
    return listening;
  };

  const startHeartbeat = () => {
    if (heartbeat) return;
    heartbeat = setInterval(() => {
      for (const set of byWorkspace.values())
        for (const s of set) {
          if (!s.alive) {
            s.socket.terminate(); // no pong since the last ping: a dead peer or a dropped connection
            continue;
          }
          s.alive = false;
          s.socket.ping();
        }
    }, HEARTBEAT_MS);
    heartbeat.unref();
  };

  return {
    async attach(socket, who) {
      if (closed) {
        socket.close(1001, 'shutting down');
        return;
      }
      const subscriber: Subscriber = {
        socket,
        personId: who.personId,
        sessionId: who.sessionId,
        tokenId: who.tokenId,
        alive: true,
      };
      let set = byWorkspace.get(who.workspaceId);
      if (!set) {
        set = new Set();
        byWorkspace.set(who.workspaceId, set);
      }
      set.add(subscriber);
      socket.on('pong', () => {
        subscriber.alive = true;
      });
      socket.on('close', () => {
        const current = byWorkspace.get(who.workspaceId);
        current?.delete(subscriber);
        if (current?.size === 0) byWorkspace.delete(who.workspaceId);
      });
      // Clients have nothing to say; a socket that talks is ignored, not trusted.
      socket.on('message', () => {});
      startHeartbeat();
      try {
        await startListening();
      } catch (err) {
        log.error({ err }, 'realtime: cannot listen to the database');
        socket.close(1011, 'realtime unavailable');
        return;
      }
      send(subscriber, JSON.stringify({ type: 'ready' }));
    },
    async tap(listener, onResync) {
      const entry = { listener, onResync };
      taps.add(entry);
      try {
        await startListening();
      } catch (err) {
        taps.delete(entry);
        throw err;
      }
      return () => {
        taps.delete(entry);
      };
    },
    size() {
      let n = 0;
      for (const set of byWorkspace.values()) n += set.size;
      return n;
    },
    async close() {
      closed = true;
      taps.clear();
      clearInterval(heartbeat);
      for (const set of byWorkspace.values()) for (const s of set) s.socket.close(1001, 'shutting down');
      byWorkspace.clear();
      const l = listening;
      listening = undefined;
      if (l) await (await l.catch(() => undefined))?.stop();
    },
  };
}

import type { Database } from '../../src/db/index.js';
import { decodeRealtime, REALTIME_CHANNEL, type RealtimeMessage } from '../../src/platform/index.js';

/**
 * Listens on the realtime channel of a test database (PGlite's listen, or a pg client's LISTEN), the way
 * the WebSocket hub does: what a test reads here is what browsers would be sent.
 */
export async function listenRealtime(
  database: Database,
): Promise<{ messages: RealtimeMessage[]; stop(): Promise<void> }> {
  const messages: RealtimeMessage[] = [];
  const receive = (payload: string | undefined) => {
    const message = payload ? decodeRealtime(payload) : null;
    if (message) messages.push(message);
  };
  if (database.pglite) {
    const unlisten = await database.pglite.listen(REALTIME_CHANNEL, receive);
    return { messages, stop: () => unlisten() };
  }
  if (!database.pool) throw new Error('no way to listen on this database');
  const client = await database.pool.connect();
  client.on('notification', (n) => {
    if (n.channel === REALTIME_CHANNEL) receive(n.payload);
  });
  await client.query(`listen ${REALTIME_CHANNEL}`);
  return {
    messages,
    async stop() {
      await client.query(`unlisten ${REALTIME_CHANNEL}`);
      client.release();
    },
  };
}

/** Waits until `check` holds (notifications arrive asynchronously after commit), or fails after `ms`. */
export async function eventually(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
